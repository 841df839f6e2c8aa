package io.parley.audit;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

import io.parley.store.UserStore;

/**
 * The audit events of account changes, described the same way wherever an account is saved (CLI, web UI): what the
 * account was and what it became. Never the password: only that one was set.
 */
public final class AccountEvents {
    private AccountEvents() {}

    /** An account saved with a (new) password, role and channels, and enabled; {@code before} is what it was, if it existed. */
    public static AuditEvent saved(String actor, String from, Optional<UserStore.Account> before, String name, String role,
                                   Collection<String> channels) {
        String now = describe(role, channels);
        if (before.isEmpty()) return AuditEvent.done(actor, AuditAction.USER_CREATED, name, from, now + "; password set");
        UserStore.Account b = before.get();
        String was = describe(b.role(), b.channels()) + (b.disabled() ? ", disabled" : "");
        return AuditEvent.done(actor, AuditAction.USER_CHANGED, name, from, "was " + was + "; now " + now + ", enabled; password reset");
    }

    public static AuditEvent disabled(String actor, String from, String name) {
        return AuditEvent.done(actor, AuditAction.USER_DISABLED, name, from, "password stops working, tokens revoked");
    }

    /** The account {@code name} as it is now, disabled ones included. */
    public static Optional<UserStore.Account> current(UserStore users, String name) {
        return users.accounts().stream().filter(a -> a.username().equals(name)).findFirst();
    }

    private static String describe(String role, Collection<String> channels) {
        return role + (channels.isEmpty() ? "" : " on " + String.join(",", new TreeSet<>(channels)));
    }
}
