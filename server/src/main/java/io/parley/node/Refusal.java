package io.parley.node;

/**
 * An action this node will not take for the caller, with the HTTP status and stable problem code the API answers with
 * ({@code api.ProblemMapper}); the message is for the operator. Not a fault: nothing is logged.
 */
public abstract class Refusal extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    protected Refusal(int status, String code, String message) {
        this(status, code, null, message);
    }

    /** A refusal caused by one member of the caller's JSON, named by the RFC 6901 pointer {@code field}. */
    protected Refusal(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** The JSON pointer of the member at fault, or null when the refusal is about no one member. */
    public final String field() {
        return field;
    }

    public final int status() {
        return status;
    }

    /** Stable problem code, e.g. {@code case-finished}. */
    public final String code() {
        return code;
    }
}
