package io.parley.cases;

/** A case action that cannot be done, with the HTTP status and problem code for the API. */
public final class CaseException extends RuntimeException {
    private final int status;
    private final String code;

    public CaseException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
