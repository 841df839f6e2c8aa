package io.parley.transparency;

/**
 * The database holds a log written before entries became commitments (its entries are item bytes, which the public
 * entry bundles would serve). Such a log cannot be converted: its checkpoints commit to those bytes and peers hold
 * them. No deployment ever ran that format, so the node refuses to start rather than serve or extend it.
 */
public final class OldLogFormatException extends IllegalStateException {
    public OldLogFormatException(String which) {
        super("the transparency log in this database is in the old format (" + which + "; every entry must be a 32-byte "
                + "SHA-256 commitment) and would publish message text: refusing to start; initialise the node on a new database");
    }
}
