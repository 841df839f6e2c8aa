/**
 * Local user accounts, password checking, roles and the permission table for the API, the web UI and TAXII.
 *
 * <p>Invariant: passwords are stored only as salted Argon2id hashes (PHC strings; PBKDF2-HMAC-SHA256 hashes of
 * earlier versions still verify and are replaced at the next successful sign-in); a verified password is remembered
 * in memory only as a SHA-256 digest, so that HTTP Basic on every request does not pay the key-stretching cost. A
 * sign-in for an unknown account spends the same hashing as one with a wrong password. Every sign-in with a password
 * goes through {@link io.parley.auth.Authenticator#signIn}, which asks the {@link io.parley.auth.SignInThrottle}
 * before verifying anything (a throttled attempt is refused unchecked, known name or not) and records failures on
 * the audit trail, never a password, and a name that is no account only as "(unknown account)". Every
 * route the node serves has exactly one entry in {@link io.parley.auth.Permissions}, checked against the account's
 * {@link io.parley.auth.Role} and channel grants before the handler runs; a route without an entry is refused, and a
 * disabled account is not found at all.
 *
 * <p>Bearer tokens ({@link io.parley.auth.Tokens}) are stored as the SHA-256 of their secret only and always expire.
 * A token's rights are its owner's rights at the moment of the request (role, grants, enabled), cut down to the
 * token's scope and channels; nothing is decided once at issue and cached.
 *
 * <p>Web sessions ({@link io.parley.auth.Sessions}) are stored by the SHA-256 of their id only. TOTP secrets
 * ({@link io.parley.auth.SecondFactor}) are stored sealed with AES-256-GCM under the node directory's {@code totp.key}
 * ({@link io.parley.auth.SecretBox}), never in clear in the database; recovery codes only as hashes; a TOTP time step
 * is accepted at most once per account.
 */
package io.parley.auth;
