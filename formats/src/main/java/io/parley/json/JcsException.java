package io.parley.json;

/**
 * Input with no single RFC 8785 canonical form (a lone surrogate, a number a double cannot hold, an integer that
 * canonicalization would change, duplicate names). A fault of the input, never of the server: the HTTP edge answers
 * it with a 4xx problem and the inbox with the {@code malformed} rejection.
 */
public final class JcsException extends IllegalArgumentException {
    public JcsException(String message) {
        super(message);
    }

    public JcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
