package io.parley.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;
import io.parley.federation.PeerRequestAuth;
import io.parley.node.Node;

/**
 * The HTTP edge of {@link PeerRequestAuth}: every route served to peers on a signed request calls
 * {@link #authenticate} first. A refusal is one fixed 401 problem whatever the reason, so a caller learns nothing
 * about which peers, keys or nonces we know; the reason is logged for the operator.
 */
public final class SignedPeerRequests {
    private static final Logger LOG = LoggerFactory.getLogger(SignedPeerRequests.class);
    static final Problem REFUSED = Problem.of(401, "unauthenticated-peer", "Unauthorized",
            "this resource is served only on a request signed by a pinned peer for this node, within its validity, once");

    private SignedPeerRequests() {}

    /** The origin of the peer that signed this request, or a 401 problem. */
    public static String authenticate(Node node, Context ctx) {
        var outcome = node.peerRequests().verify(ctx.method().name(), ctx.req().getRequestURI(), ctx.queryString(), RequestBodies.read(ctx), ctx::header);
        return switch (outcome) {
            case PeerRequestAuth.Outcome.Authenticated a -> a.origin();
            case PeerRequestAuth.Outcome.Refused r -> {
                LOG.info("refused a peer request {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), r.reason());
                throw new ProblemException(REFUSED);
            }
        };
    }
}
