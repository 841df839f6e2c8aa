package io.parley.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The C2SP tlog-tiles entry bundle encoding: "sequences of big-endian uint16 length-prefixed log entries", at most
 * 256 per bundle, each hashing (RFC 6962 leaf hash) to the matching hash of the level-0 tile with the same index.
 * Entries are therefore limited to 65,535 bytes.
 */
public final class EntryBundle {
    private EntryBundle() {}

    /** Largest entry the two-byte length prefix can carry. */
    public static final int MAX_ENTRY_SIZE = 0xFFFF;

    /** Encodes 1 to 256 entries. */
    public static byte[] encode(List<byte[]> entries) {
        if (entries.isEmpty() || entries.size() > TileCoordinates.FULL_WIDTH) {
            throw new IllegalArgumentException("an entry bundle holds 1 to 256 entries, got " + entries.size());
        }
        int total = 0;
        for (byte[] e : entries) {
            if (e.length > MAX_ENTRY_SIZE) {
                throw new IllegalArgumentException("entry of " + e.length + " bytes exceeds the 65535-byte limit");
            }
            total += 2 + e.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] e : entries) {
            out[at++] = (byte) (e.length >>> 8);
            out[at++] = (byte) e.length;
            System.arraycopy(e, 0, out, at, e.length);
            at += e.length;
        }
        return out;
    }

    /** Decodes a bundle of 1 to 256 entries; rejects truncation and trailing bytes. */
    public static List<byte[]> decode(byte[] bundle) throws FormatException {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < bundle.length) {
            if (out.size() == TileCoordinates.FULL_WIDTH) throw new FormatException("entry bundle has more than 256 entries");
            if (bundle.length - at < 2) throw new FormatException("entry bundle ends inside a length prefix");
            int len = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
            at += 2;
            if (bundle.length - at < len) throw new FormatException("entry bundle ends inside an entry");
            byte[] e = new byte[len];
            System.arraycopy(bundle, at, e, 0, len);
            out.add(e);
            at += len;
        }
        if (out.isEmpty()) throw new FormatException("entry bundle is empty");
        return out;
    }

    /** Decodes a bundle and checks it has exactly the width its path promised. */
    public static List<byte[]> decode(byte[] bundle, TileCoordinates coordinates) throws FormatException {
        if (!coordinates.entries()) throw new IllegalArgumentException(coordinates + " is not an entry bundle");
        List<byte[]> entries = decode(bundle);
        if (entries.size() != coordinates.width()) {
            throw new FormatException("entry bundle " + coordinates.path() + " has " + entries.size() + " entries");
        }
        return entries;
    }

    /** The RFC 6962 leaf hashes of the entries, concatenated: equal to the matching level-0 tile if all is well. */
    public static byte[] leafHashTile(List<byte[]> entries) {
        Rfc6962 hasher = Rfc6962.forThisThread();
        byte[] out = new byte[entries.size() * Rfc6962.HASH_SIZE];
        for (int i = 0; i < entries.size(); i++) {
            byte[] e = entries.get(i);
            hasher.hashLeaf(e, 0, e.length, out, i * Rfc6962.HASH_SIZE);
        }
        return out;
    }
}
