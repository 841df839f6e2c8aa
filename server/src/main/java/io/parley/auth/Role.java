package io.parley.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The roles of local accounts. A {@code viewer} reads and never acts; an {@code officer} handles the channels granted
 * to them (the grant {@code *} is every channel, present and future, and with it the node's federation desk: proposing
 * channels and pinning peers); an {@code admin} may do everything, including accounts and RED grants.
 */
public enum Role {
    VIEWER, OFFICER, ADMIN;

    /** The grant that covers every channel. */
    public static final String ALL_CHANNELS = "*";

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String s) {
        if (s == null) return Optional.empty();
        for (Role r : values()) if (r.wire().equals(s)) return Optional.of(r);
        return Optional.empty();
    }

    /**
     * Whether an account of this role with these channel grants holds {@code p} (for {@link Permission.OnChannel},
     * on {@code channel}). An unknown role holds nothing.
     */
    public boolean allows(Set<String> grants, Permission p, String channel) {
        return switch (p) {
            case Permission.Public pub -> true;
            case Permission.Global g -> switch (this) {
                case ADMIN -> true;
                case VIEWER -> g == Permission.Global.READ || g == Permission.Global.OWN_ACCOUNT;
                case OFFICER -> switch (g) {
                    case READ, OWN_ACCOUNT, UPLOAD_EVIDENCE, ISSUE_TOKENS -> true;
                    case MANAGE_PEERS, PROPOSE_CHANNELS -> grants.contains(ALL_CHANNELS);
                    case MANAGE_USERS, GRANT_RED, READ_AUDIT, CONFIRM_CONTACTS -> false;
                };
            };
            case Permission.OnChannel on -> switch (this) {
                case ADMIN -> true;
                case VIEWER -> false;
                case OFFICER -> grants.contains(ALL_CHANNELS) || (channel != null && grants.contains(channel));
            };
        };
    }
}
