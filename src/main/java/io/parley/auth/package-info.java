/**
 * Local user accounts and password checking for the API, the web UI and TAXII.
 *
 * <p>Invariant: passwords are stored only as salted PBKDF2-HMAC-SHA256 hashes; a verified password is remembered in
 * memory only as a SHA-256 digest, so that HTTP Basic on every request does not pay the key-stretching cost.
 */
package io.parley.auth;
