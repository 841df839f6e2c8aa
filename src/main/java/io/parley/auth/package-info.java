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
 */
package io.parley.auth;
