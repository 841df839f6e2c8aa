package io.parley.audit;

import java.util.Objects;

/**
 * Something to put on the record, before it has a place in the chain.
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
    public AuditEvent {
        Objects.requireNonNull(action, "action");
        actor = actor == null ? "" : actor;
        target = target == null ? "" : target;
        from = from == null ? "" : from;
        detail = detail == null ? "" : detail;
    }

    public static AuditEvent done(String actor, AuditAction action, String target, String from, String detail) {
        return new AuditEvent(actor, action, target, from, true, detail);
    }

    public static AuditEvent refused(String actor, AuditAction action, String target, String from, String detail) {
        return new AuditEvent(actor, action, target, from, false, detail);
    }
}
