package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import io.parley.identity.Sha256;
import io.parley.store.SessionStore;
import io.parley.store.UserStore;

/**
 * Server-side web sessions. A session id is 256 random bits, given to the browser once (as a cookie) and stored only
 * as its SHA-256, so a database dump or backup does not hold a live session. A session ends when its owner signs out,
 * when it has been idle for the idle timeout, when it is older than the absolute timeout, and as soon as its account
 * is disabled or its password or role changes (the session keeps a digest of both as they were at sign-in). Ids are
 * only ever made here: a value the browser brings is looked up, never adopted, so a planted cookie is worth nothing.
 *
 * <p>A sign-in with a second factor goes through a {@link Stage#CODE} session first: it grants nothing but the code
 * form, lasts {@link #CODE_STAGE_LIFETIME} and allows {@link #MAX_CODE_ATTEMPTS} codes; the accepted code replaces it
 * with a new {@link Stage#FULL} session under a new id.
 */
public final class Sessions {
    public static final Duration CODE_STAGE_LIFETIME = Duration.ofMinutes(5);
    public static final int MAX_CODE_ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    public enum Stage {
        CODE, FULL;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A live session as a request presents it: the id the browser holds, the account, and how far it got. */
    public record Active(String id, UserStore.User user, Stage stage, Instant createdAt, int codeAttempts) {}

    private final SessionStore store;
    private final UserStore users;
    private final Clock clock;
    private final SignInSettings settings;

    public Sessions(SessionStore store, UserStore users, Clock clock, SignInSettings settings) {
        this.store = store;
        this.users = users;
        this.clock = clock;
        this.settings = settings;
    }

    public SignInSettings settings() {
        return settings;
    }

    /** Starts a new session for {@code user} and returns its id (the cookie value); forgets expired sessions. */
    public String start(UserStore.User user, Stage stage) {
        Instant now = clock.instant();
        store.deleteExpired(now.minus(settings.idleTimeout()), now.minus(settings.absoluteTimeout()));
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        store.insert(new SessionStore.Row(hash(id), user.username(), stage.wire(), credential(user), now, now, 0));
        return id;
    }

    /**
     * The live session of {@code id} at {@code stage}, or empty. A session that has timed out, or whose account is
     * disabled or changed, is deleted on the way. A full session's idle time starts again.
     */
    public Optional<Active> resolve(String id, Stage stage) {
        return resolve(id, stage, true);
    }

    /**
     * As {@link #resolve(String, Stage)}; without {@code activity} (a page reloading itself, not a person) the idle
     * time does not start again, so an unattended screen still times out.
     */
    public Optional<Active> resolve(String id, Stage stage, boolean activity) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{43}")) return Optional.empty();
        String key = hash(id);
        Optional<SessionStore.Row> found = store.find(key);
        if (found.isEmpty()) return Optional.empty();
        SessionStore.Row row = found.get();
        if (!row.stage().equals(stage.wire())) return Optional.empty();
        Instant now = clock.instant();
        boolean expired = stage == Stage.CODE ? !now.isBefore(row.createdAt().plus(CODE_STAGE_LIFETIME))
                : !now.isBefore(row.lastSeen().plus(settings.idleTimeout())) || !now.isBefore(row.createdAt().plus(settings.absoluteTimeout()));
        Optional<UserStore.User> user = users.find(row.username()); // a disabled account is not found
        if (expired || user.isEmpty() || !java.security.MessageDigest.isEqual(credential(user.get()).getBytes(StandardCharsets.US_ASCII),
                row.credential().getBytes(StandardCharsets.US_ASCII))) {
            store.delete(key);
            return Optional.empty();
        }
        if (stage == Stage.FULL && activity) store.touch(key, now);
        return Optional.of(new Active(id, user.get(), stage, row.createdAt(), row.codeAttempts()));
    }

    /** Counts one code attempt on a {@link Stage#CODE} session; false once they are used up (the session then ends). */
    public boolean countCodeAttempt(Active session) {
        if (store.countAttempt(hash(session.id()), MAX_CODE_ATTEMPTS)) return true;
        store.delete(hash(session.id()));
        return false;
    }

    /** Ends the session of {@code id}; true if there was one (of two concurrent ends, one wins). */
    public boolean end(String id) {
        return id != null && store.delete(hash(id));
    }

    /** Ends every session of {@code username}; how many there were. */
    public int endAll(String username) {
        return store.deleteUser(username);
    }

    static String hash(String id) {
        return Sha256.hex(("parley-session\n" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** What a session remembers of its account: a change of password or role makes it stale. */
    private static String credential(UserStore.User user) {
        return Sha256.hex((user.passwordHash() + "\u0000" + user.role()).getBytes(StandardCharsets.UTF_8));
    }
}
