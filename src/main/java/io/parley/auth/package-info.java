/**
 * Local user accounts, password checking, roles and the permission table for the API, the web UI and TAXII.
 *
 * <p>Invariants: passwords are stored only as salted PBKDF2-HMAC-SHA256 hashes; a verified password is remembered in
 * memory only as a SHA-256 digest, so that HTTP Basic on every request does not pay the key-stretching cost. Every
 * route the node serves has exactly one entry in {@link io.parley.auth.Permissions}, checked against the account's
 * {@link io.parley.auth.Role} and channel grants before the handler runs; a route without an entry is refused, and a
 * disabled account is not found at all.
 */
package io.parley.auth;
