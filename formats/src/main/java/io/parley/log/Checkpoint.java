package io.parley.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a C2SP tlog-checkpoint: the log's origin, its tree size and its RFC 6962 root hash, plus optional
 * extension lines.
 *
 * <pre>
 * example.com/behind-the-sofa
 * 20852163
 * CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 * </pre>
 *
 * <p>{@link #parse} is strict so that one tree head has exactly one text (signatures are over the text): at least
 * three lines, each non-empty and newline-terminated; the size in decimal without leading zeros; the root in
 * canonical base64 of exactly 32 bytes. The origin is only required to be non-empty — the spec says clients
 * "MUST NOT assume that the origin is following" the schema-less URL recommendation.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        if (origin == null || origin.isEmpty() || !Text.isLine(origin)) {
            throw new IllegalArgumentException("checkpoint origin must be a non-empty line");
        }
        if (size < 0) throw new IllegalArgumentException("tree size must not be negative");
        rootHash = Rfc6962.requireHash(rootHash, "root hash").clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || !Text.isLine(e)) throw new IllegalArgumentException("extension lines must be non-empty lines");
        }
    }

    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text: origin, size, base64 root and any extension lines, each followed by a newline. */
    public String body() {
        StringBuilder sb = new StringBuilder(origin.length() + 80);
        sb.append(origin).append('\n').append(size).append('\n').append(Text.base64(rootHash)).append('\n');
        for (String e : extensions) sb.append(e).append('\n');
        return sb.toString();
    }

    /** Signs the body into a signed note (e.g. with the log key, {@link NoteSigner#ed25519}). */
    public SignedNote sign(NoteSigner... signers) {
        return SignedNote.sign(body(), signers);
    }

    /** Parses a checkpoint body (a note's text, signatures already split off). */
    public static Checkpoint parse(String body) throws FormatException {
        if (body == null || body.isEmpty() || body.charAt(body.length() - 1) != '\n') {
            throw new FormatException("checkpoint must end with a newline");
        }
        if (Text.firstControl(body) >= 0 || !Text.wellFormed(body)) {
            throw new FormatException("checkpoint contains control characters or invalid Unicode");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) throw new FormatException("checkpoint has fewer than three lines");
        for (String line : lines) {
            if (line.isEmpty()) throw new FormatException("checkpoint has an empty line");
        }
        long size = Text.parseDecimal(lines[1]);
        if (size < 0) throw new FormatException("checkpoint tree size '" + Text.abbreviate(lines[1]) + "' is not a canonical decimal");
        byte[] root = Text.decodeHash(lines[2], "checkpoint root hash");
        List<String> ext = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
        return new Checkpoint(lines[0], size, root, ext);
    }

    /** The checkpoint in a signed note's text. Does not verify signatures; do that first. */
    public static Checkpoint of(SignedNote note) throws FormatException {
        return parse(note.text());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
                && Arrays.equals(c.rootHash, rootHash) && c.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return ((origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash)) * 31 + extensions.hashCode();
    }

    @Override
    public String toString() {
        return body();
    }
}
