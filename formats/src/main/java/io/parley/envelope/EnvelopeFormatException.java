package io.parley.envelope;

/** An envelope that is not well formed; {@link #field()} names the member at fault (a JSON pointer). */
public final class EnvelopeFormatException extends IllegalArgumentException {
    private final String field;

    public EnvelopeFormatException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
