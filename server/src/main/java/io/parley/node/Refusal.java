package io.parley.node;

/**
 * An action this node will not take for the caller, with the HTTP status and stable problem code the API answers with
 * ({@code api.ProblemMapper}); the message is for the operator. Not a fault: nothing is logged.
 */
public abstract class Refusal extends RuntimeException {
    private final int status;
    private final String code;

    protected Refusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public final int status() {
        return status;
    }

    /** Stable problem code, e.g. {@code case-finished}. */
    public final String code() {
        return code;
    }
}
