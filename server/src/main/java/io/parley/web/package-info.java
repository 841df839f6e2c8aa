/**
 * The duty officer's web UI at {@code /} on every node: server-rendered HTML from jte templates
 * ({@code src/main/jte}, compiled at build time, escaped by default), one small stylesheet and one small script
 * ({@code /ui/desk.js}: the desk refreshes its content in place; every page works without it). It reads the same
 * services as the API (cases, channels, federation, log) and acts through them: a case's evidence
 * ({@link io.parley.web.EvidencePages}) is what the API's evidence routes serve the same account, and the verify page
 * ({@link io.parley.web.VerifyPage}) runs the very checks of {@code parley verify} on an uploaded bundle.
 *
 * <p>Invariant: a page is served only to a server-side session started at {@code /login} (password, then a TOTP or
 * recovery code when the account has a second factor); HTTP Basic opens no page, and the session cookie opens nothing
 * under {@code /api/v1} or {@code /taxii2}. Every form carries a CSRF token bound to the session. The cookie is
 * HttpOnly, SameSite=Strict, Path=/, Secure (and {@code __Host-}) under TLS; its id is stored only as a hash, renewed at
 * each sign-in step, and ends on sign-out, idle or absolute timeout, and any change of the account's password, role or
 * enabled state.
 */
package io.parley.web;
