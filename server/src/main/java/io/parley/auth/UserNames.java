package io.parley.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an account may be called, for every way to create one (the users page, {@code parley user add}). Besides the
 * characters, the names the audit trail gives to actors that are no account ({@code cli} for the local command line,
 * {@code node} for the node itself) are refused, in any case: an account so named would write records that read as
 * the operator's or the node's own.
 */
public final class UserNames {
    /** Actor names of the audit trail that are no account. */
    public static final Set<String> RESERVED = Set.of("cli", "node");

    private UserNames() {}

    /** Why {@code name} cannot be an account's name, or empty if it can. */
    public static Optional<String> refusal(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            return Optional.of("a user name may use letters, digits and . _ @ - (1 to 64 characters)");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of("'" + name + "' names the command line or the node itself on the audit trail, so no account may have it");
        }
        return Optional.empty();
    }
}
