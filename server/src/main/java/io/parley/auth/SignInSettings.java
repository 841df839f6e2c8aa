package io.parley.auth;

import java.time.Duration;
import java.util.Optional;

import io.parley.store.UserStore;

/**
 * How long web sessions last and whether admins need a second factor ({@code parley.json}: {@code session_idle_minutes},
 * {@code session_max_hours}, {@code require_2fa_for_admin}).
 *
 * @param idleTimeout     a session unused this long is over
 * @param absoluteTimeout a session this old is over, however busy
 * @param require2faForAdmin an admin must sign in to the web UI with a TOTP code (and is sent to enrol one first), and
 *                           HTTP Basic, which cannot carry a code, is refused for admins on the API and TAXII
 */
public record SignInSettings(Duration idleTimeout, Duration absoluteTimeout, boolean require2faForAdmin) {
    public static final SignInSettings DEFAULT = new SignInSettings(Duration.ofMinutes(30), Duration.ofHours(12), false);

    public SignInSettings {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("session_idle_minutes must be at least 1");
        if (absoluteTimeout.compareTo(idleTimeout) < 0) throw new IllegalArgumentException("session_max_hours must not be shorter than the idle timeout");
    }

    /** Whether {@code user} must hold a second factor to use the web UI. */
    public boolean secondFactorRequired(UserStore.User user) {
        return require2faForAdmin && Role.ADMIN.wire().equals(user.role());
    }

    /**
     * Why HTTP Basic is refused for {@code user} (API, TAXII), or empty. Basic has no place for a code, so it is refused
     * for an account that has a second factor ({@code hasSecondFactor}: its owner set one up, and the password alone
     * must not open on the API what it no longer opens in the browser, nor mint a token there), and for an admin under
     * {@code require_2fa_for_admin}. Such an account uses a bearer token ({@code parley token create --dir}).
     */
    public Optional<String> basicRefusal(UserStore.User user, boolean hasSecondFactor) {
        if (secondFactorRequired(user)) {
            return Optional.of("this node requires a second factor for admin accounts (require_2fa_for_admin), which HTTP Basic cannot carry:"
                    + " use an API token, or a non-admin account");
        }
        if (hasSecondFactor) {
            return Optional.of("account '" + user.username() + "' has a second factor, which HTTP Basic cannot carry, so its password alone"
                    + " is not accepted here: use an API token (the node's operator issues one with 'parley token create --dir')");
        }
        return Optional.empty();
    }
}
