package io.parley.json;

/**
 * Text that is not one well-formed JSON document (syntax, duplicate names, a number no parser can hold). Its own
 * type so that an edge reading a request body can tell the sender's fault from an {@link IllegalArgumentException}
 * thrown by a bug further in; an {@code IllegalArgumentException} still, for callers that treat any unreadable input
 * alike.
 */
public final class MalformedJsonException extends IllegalArgumentException {
    public MalformedJsonException(String message) {
        super(message);
    }
}
