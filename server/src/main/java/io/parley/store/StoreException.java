package io.parley.store;

/** A storage failure that is not the caller's fault (disk, connection, bug); never shown to peers in detail. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
