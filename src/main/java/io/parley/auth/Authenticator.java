package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.parley.identity.Sha256;
import io.parley.store.UserStore;

/**
 * Checks username/password pairs against the user store, remembering recent successes as digests.
 *
 * <p>An unknown user name costs what a wrong password costs: the password is checked against a dummy hash made with
 * the same function and parameters, so the time of a refusal does not tell which accounts exist. A hash of an older
 * kind (PBKDF2) is replaced by an Argon2id one at the first successful sign-in.
 */
public final class Authenticator {
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

    public Authenticator(UserStore users) {
        this(users, Passwords::verify);
    }

    Authenticator(UserStore users, Verifier verifier) {
        this.users = users;
        this.verifier = verifier;
        this.dummyHash = Passwords.hash(java.util.UUID.randomUUID().toString());
    }

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
