package io.parley.log;

/**
 * Bytes or text that claim to be one of the C2SP formats (checkpoint, signed note, tile path, entry bundle,
 * tlog-proof, witness request) are malformed. Parsers here are strict — one canonical encoding per value — so that
 * two parties never disagree about what a signed or hashed text means.
 */
public final class FormatException extends Exception {

    public FormatException(String message) {
        super(message);
    }
}
