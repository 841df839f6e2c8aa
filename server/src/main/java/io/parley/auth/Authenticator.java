package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.identity.Sha256;
import io.parley.store.UserStore;

/**
 * Checks username/password pairs against the user store, remembering recent successes as digests.
 *
 * <p>An unknown user name costs what a wrong password costs: the password is checked against a dummy hash made with
 * the same function and parameters, so the time of a refusal does not tell which accounts exist. A hash of an older
 * kind (PBKDF2) is replaced by an Argon2id one at the first successful sign-in.
 *
 * <p>Every way to sign in with a password (HTTP Basic on the API and TAXII, the web UI's sign-in) goes through
 * {@link #signIn}, which asks the {@link SignInThrottle} before verifying anything and puts failures, the start of a
 * wait, and successes worth noting (after failures, or from an address new for the account) on the audit trail. A
 * success on every Basic request is not recorded: that would bury the failures under routine.
 */
public final class Authenticator {
    /** The answer to a sign-in. */
    public sealed interface SignIn {
        /**
         * The password is right; {@code user} is the account signed in. {@code circumstances} is what made this success
         * worth a record (", after 3 failed attempts from this address", ", first sign-in from this address ..."), or
         * empty.
         */
        record Accepted(UserStore.User user, String circumstances) implements SignIn {}

        /** Unknown user or wrong password, told apart from nobody. */
        record Refused() implements SignIn {}

        /** Too many failures: nothing was checked; try again after {@code retryAfter} (whole seconds, at least 1). */
        record Throttled(Duration retryAfter) implements SignIn {}
    }

    /** Shown in the audit trail for a name that is no account: what was typed may be a password typed in the wrong field. */
    static final String UNKNOWN_ACCOUNT = "(unknown account)";

    /** Compares a password with a stored hash; {@link Passwords#verify} but for tests that count what runs. */
    interface Verifier {
        boolean verify(String password, String storedHash);
    }

    private final UserStore users;
    private final Verifier verifier;
    /** A hash of a random password nobody knows, with the parameters of every new hash. */
    private final String dummyHash;
    /** username → SHA-256(password hash || password) of the last verified login; invalid once the hash changes. */
    private final ConcurrentHashMap<String, byte[]> verified = new ConcurrentHashMap<>();
    private final SignInThrottle throttle;
    private final Consumer<AuditEvent> audit;

    /** Without throttling or a record: for tools and tests that check passwords only. */
    public Authenticator(UserStore users) {
        this(users, Passwords::verify);
    }

    Authenticator(UserStore users, Verifier verifier) {
        this(users, verifier, new SignInThrottle(SignInThrottle.Settings.DEFAULT, java.time.Clock.systemUTC()), e -> {});
    }

    public Authenticator(UserStore users, SignInThrottle throttle, Consumer<AuditEvent> audit) {
        this(users, Passwords::verify, throttle, audit);
    }

    Authenticator(UserStore users, Verifier verifier, SignInThrottle throttle, Consumer<AuditEvent> audit) {
        this.users = users;
        this.verifier = verifier;
        this.throttle = throttle;
        this.audit = audit;
        this.dummyHash = Passwords.hash(java.util.UUID.randomUUID().toString());
    }

    /**
     * The one sign-in with a password: throttle first (a throttled attempt is refused unverified, so even the right
     * password tells a throttled guesser nothing), then the password, then the record. {@code clientAddress} is the
     * connection's peer address ({@code ctx.ip()}), never a header a client can write such as X-Forwarded-For.
     * {@code via} names the way in ("api", "taxii", "web") for the audit record.
     */
    public SignIn signIn(String username, String password, String clientAddress, String via) {
        if (username == null || password == null) return new SignIn.Refused();
        return switch (throttle.admit(username, password, clientAddress)) {
            case SignInThrottle.Admission.Wait w -> new SignIn.Throttled(w.retryAfter());
            case SignInThrottle.Admission.Go go -> {
                Optional<UserStore.User> user;
                try {
                    user = authenticate(username, password);
                } catch (RuntimeException | Error e) {
                    throttle.failed(go.attempt()); // never leave the attempt in flight, and never let an error pass as free
                    throw e;
                }
                if (user.isPresent()) {
                    var settled = throttle.succeeded(go.attempt());
                    String circumstances = (settled.failuresHere() > 0 ? ", after " + settled.failuresHere() + " failed attempts from this address" : "")
                            + (settled.newAddress() ? ", first sign-in from this address since the node started" : "");
                    // a success goes on the record by the caller, which may still refuse it (a second factor Basic cannot carry)
                    yield new SignIn.Accepted(user.get(), circumstances);
                }
                var settled = throttle.failed(go.attempt());
                // one lookup whether the name exists or not; the record is written the same way either way
                String shown = users.find(username).isPresent() ? username : UNKNOWN_ACCOUNT;
                audit.accept(AuditEvent.refused(shown, AuditAction.SIGN_IN, shown, clientAddress, via + ": unknown user or wrong password"
                        + settled.nowWaiting().map(d -> "; throttled, next attempt in " + d.toSeconds() + " s").orElse("")));
                yield new SignIn.Refused();
            }
        };
    }

    /**
     * Puts a per-request password sign-in (API or TAXII Basic) on the record once the caller has decided on it: refused
     * when {@code refusal} is present (the password was right but may not be used this way), otherwise only when the
     * success is worth noting (after failures, or from an address new for the account), since every request signs in.
     */
    public void settle(SignIn.Accepted accepted, String clientAddress, String via, Optional<String> refusal) {
        String name = accepted.user().username();
        if (refusal.isPresent()) {
            audit.accept(AuditEvent.refused(name, AuditAction.SIGN_IN, name, clientAddress, via + ": password right, but " + refusal.get()));
        } else if (!accepted.circumstances().isEmpty()) {
            audit.accept(AuditEvent.done(name, AuditAction.SIGN_IN, name, clientAddress, via + accepted.circumstances()));
        }
    }

    /** {@link #signIn} for a caller that names no way in. */
    public SignIn signIn(String username, String password, String clientAddress) {
        return signIn(username, password, clientAddress, "password");
    }

    /**
     * Checks a password without throttling or record: only for callers that are not a sign-in (tests of the hashing
     * itself). Every sign-in goes through {@link #signIn}.
     */
    public Optional<UserStore.User> authenticate(String username, String password) {
        if (username == null || password == null) return Optional.empty();
        Optional<UserStore.User> user = users.find(username);
        if (user.isEmpty()) {
            verifier.verify(password, dummyHash); // spent only so that the refusal takes as long as a wrong password's
            return Optional.empty();
        }
        String stored = user.get().passwordHash();
        byte[] digest = digest(stored, password);
        byte[] known = verified.get(username);
        if (known != null && MessageDigest.isEqual(known, digest)) return user;
        if (!verifier.verify(password, stored)) return Optional.empty();
        if (Passwords.needsRehash(stored)) {
            // an older hash (PBKDF2, or weaker parameters): the password is known right now, so store it as Argon2id
            String upgraded = Passwords.hash(password);
            if (users.replaceHash(username, stored, upgraded)) {
                verified.put(username, digest(upgraded, password));
                return users.find(username);
            }
        }
        verified.put(username, digest);
        return user;
    }

    private static byte[] digest(String storedHash, String password) {
        return Sha256.hash((storedHash + "\u0000" + password).getBytes(StandardCharsets.UTF_8));
    }
}
