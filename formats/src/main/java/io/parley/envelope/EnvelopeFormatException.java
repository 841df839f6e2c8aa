package io.parley.envelope;

/**
 * A signed document that is not well formed; {@link #field()} names the member at fault (a JSON pointer) and
 * {@link #document()} which kind of document it is, so an edge can tell a bad charter from bad envelope fields
 * without knowing which call threw.
 */
public final class EnvelopeFormatException extends IllegalArgumentException {

    /** The kind of document at fault. */
    public enum Document {
        /** An envelope, or the typed fields of its body. */
        ENVELOPE,
        /** A channel charter, or the charter carried in a charter envelope. */
        CHARTER
    }

    private final Document document;
    private final String field;

    public EnvelopeFormatException(String field, String message) {
        this(Document.ENVELOPE, field, message);
    }

    public EnvelopeFormatException(Document document, String field, String message) {
        super(message);
        this.document = document;
        this.field = field;
    }

    /** A fault in a charter. */
    public static EnvelopeFormatException inCharter(String field, String message) {
        return new EnvelopeFormatException(Document.CHARTER, field, message);
    }

    public Document document() {
        return document;
    }

    public String field() {
        return field;
    }
}
