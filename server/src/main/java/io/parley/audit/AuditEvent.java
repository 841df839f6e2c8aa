package io.parley.audit;

import java.util.Objects;

/**
 * Something to put on the record, before it has a place in the chain.
 *
 * <p>Fields are bounded and stripped of control characters here, once for every caller: a failed sign-in records the
 * user name as given, so an anonymous client chooses that text, and it must neither grow the trail without bound nor
 * forge a line (a newline, a terminal escape) where the trail is shown.
 *
 * @param actor  the local account that acted or tried to (a user name as given, for a failed sign-in), or
 *               {@code "cli"} / {@code "node"} when no account was involved
 * @param action what happened
 * @param target what it happened to (an account, a channel, a case, a token id), or empty
 * @param from   where the request came from (the client's address), {@code "cli"} for the local command line
 * @param ok     whether it was done (false: refused, failed)
 * @param detail a short free text, never a secret (no password, token or message content)
 */
public record AuditEvent(String actor, AuditAction action, String target, String from, boolean ok, String detail) {
    /** Longest actor kept (a user name is at most 64; a failed sign-in may name anything). */
    public static final int MAX_ACTOR = 128;
    public static final int MAX_TARGET = 256;
    public static final int MAX_FROM = 128;
    public static final int MAX_DETAIL = 1000;

    public AuditEvent {
        Objects.requireNonNull(action, "action");
        actor = clean(actor, MAX_ACTOR);
        target = clean(target, MAX_TARGET);
        from = clean(from, MAX_FROM);
        detail = clean(detail, MAX_DETAIL);
    }

    public static AuditEvent done(String actor, AuditAction action, String target, String from, String detail) {
        return new AuditEvent(actor, action, target, from, true, detail);
    }

    public static AuditEvent refused(String actor, AuditAction action, String target, String from, String detail) {
        return new AuditEvent(actor, action, target, from, false, detail);
    }

    /** {@code s} with control characters as U+FFFD, cut to {@code max} code points (marked with an ellipsis). */
    static String clean(String s, int max) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(Math.min(s.length(), max + 1));
        int count = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (count == max) {
                out.setLength(out.length() - Character.charCount(out.codePointBefore(out.length())));
                out.append('\u2026');
                break;
            }
            boolean control = Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
                    || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE;
            out.appendCodePoint(control ? 0xFFFD : cp);
            count++;
        }
        return out.toString();
    }
}
