/**
 * The HTTP edge: the client API under {@code /api/v1/}, the federation inbox, {@code /.well-known/parley},
 * {@code /healthz} and {@code /metrics}.
 *
 * <p>Invariant: every error leaves as RFC 9457 {@code application/problem+json}; faults of the request get a 4xx
 * with a detail that says what to fix, and nothing a client sends can produce a stack trace in a response. Problems
 * are built in one place ({@link io.parley.api.Problem}); which exception means which status and problem type is
 * decided once, in {@link io.parley.api.ProblemMapper}, which the API, TAXII and the web UI share. Routes do not
 * catch domain exceptions to translate them, and never catch {@code IllegalArgumentException}: an input fault has
 * its own exception type, so a bug elsewhere is a 500, not a 400.
 * Every request body is read through {@link io.parley.api.RequestBodies}, bounded on the stream whatever the
 * framing (413 past the limit); every text response is UTF-8 with an explicit charset
 * ({@link io.parley.api.Utf8Responses}).
 *
 * <p>{@code /api/v1/} and TAXII authenticate one {@code Authorization} header, read by {@link io.parley.api.Credentials}:
 * HTTP Basic or a bearer token; anything else, malformed included, is a 401 problem.
 *
 * <p>With {@code tls} in parley.json the node has one HTTPS connector and no plain one ({@link io.parley.api.TlsConnector});
 * with {@code tls.mutual}, {@code /federation/*} and {@code /log/witness/*} answer only a client certificate whose
 * SHA-256 a pinned peer's card names (403 otherwise), checked before any route code.
 *
 * <p>Throttling: a password sign-in (HTTP Basic here, in TAXII and the web UI) goes through
 * {@link io.parley.auth.Authenticator#signIn}, and routes peers call through {@link io.parley.api.PeerThrottle};
 * either answers 429 {@code too-many-requests} with {@code Retry-After} in whole seconds
 * ({@link io.parley.api.HttpServer#throttled}). The client address is the connection's, never a forwarding header.
 */
package io.parley.api;
