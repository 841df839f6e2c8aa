package io.parley.store;

import java.time.Instant;

import io.parley.identity.Sha256;

/**
 * A refused envelope (or card), recorded so that an operator (and a later report) can see what was refused and why.
 *
 * <p>Only a refusal whose signature verified under a known party's key ({@code verified}) keeps the full text: that
 * party said it, and the record may be evidence against it. Anything else came from whoever can reach the inbox, so
 * only a bounded summary is kept ({@link #unverified}): the code, the claimed channel and sender cut to
 * {@link #MAX_NAME_CHARS}, the detail cut to {@link #MAX_DETAIL_CHARS}, and the hash and size of what was sent.
 */
public record RejectionRecord(long id, Instant receivedAt, String remote, String channel, String sender, Long seq,
                              String code, String detail, String envelope, boolean verified, String envelopeSha256, Long envelopeBytes) {
    public static final int MAX_NAME_CHARS = 128;
    public static final int MAX_DETAIL_CHARS = 300;

    /** A refusal of something a known party signed: kept in full. */
    public static RejectionRecord verified(Instant at, String remote, String channel, String sender, Long seq, String code, String detail, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new RejectionRecord(0, at, remote, channel, sender, seq, code, detail, text, true, Sha256.hex(bytes), (long) bytes.length);
    }

    /** A refusal of something nobody we know is shown to have signed: a bounded summary, never the content. */
    public static RejectionRecord unverified(Instant at, String remote, String channel, String sender, Long seq, String code, String detail, byte[] raw) {
        return new RejectionRecord(0, at, cut(remote, MAX_NAME_CHARS), cut(channel, MAX_NAME_CHARS), cut(sender, MAX_NAME_CHARS), seq, code,
                cut(detail, MAX_DETAIL_CHARS), null, false, raw == null ? null : Sha256.hex(raw), raw == null ? null : (long) raw.length);
    }

    private static String cut(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…";
    }
}
