package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.parley.identity.Sha256;
import io.parley.store.UserStore;

/** Checks username/password pairs against the user store, remembering recent successes as digests. */
public final class Authenticator {
    private final UserStore users;
    /** username → SHA-256(password hash || password) of the last verified login; invalid once the hash changes. */
    private final ConcurrentHashMap<String, byte[]> verified = new ConcurrentHashMap<>();

    public Authenticator(UserStore users) {
        this.users = users;
    }

    public Optional<UserStore.User> authenticate(String username, String password) {
        if (username == null || password == null) return Optional.empty();
        Optional<UserStore.User> user = users.find(username);
        if (user.isEmpty()) return Optional.empty();
        byte[] digest = Sha256.hash((user.get().passwordHash() + "\u0000" + password).getBytes(StandardCharsets.UTF_8));
        byte[] known = verified.get(username);
        if (known != null && MessageDigest.isEqual(known, digest)) return user;
        if (!Passwords.verify(password, user.get().passwordHash())) return Optional.empty();
        verified.put(username, digest);
        return user;
    }
}
