package io.parley.api;

import java.util.Optional;

import io.javalin.http.Context;
import io.parley.federation.PeerRateLimits;
import io.parley.federation.PeerRequestAuth;
import io.parley.node.Node;

/**
 * The HTTP edge of {@link PeerRateLimits}: every route peers call charges its caller here before doing its work, and
 * a caller over its limit gets 429 with {@code Retry-After}. The caller is the peer that signed the request (the
 * signature is checked first, so nobody can spend another peer's allowance), or the client address for a request
 * without a valid peer signature.
 */
public final class PeerThrottle {
    private PeerThrottle() {}

    /**
     * For routes that take unsigned requests too (the inbox and the witness, whose contents carry their own
     * signatures): the peer that signed this request, if it carries a valid peer signature. Never refuses.
     */
    public static Optional<String> signer(Node node, Context ctx) {
        if (ctx.header(PeerRequestAuth.SIGNATURE_INPUT) == null) return Optional.empty(); // nothing to check
        var outcome = node.peerRequests().verify(ctx.method().name(), ctx.req().getRequestURI(), ctx.queryString(), RequestBodies.read(ctx), ctx::header);
        return outcome instanceof PeerRequestAuth.Outcome.Authenticated a ? Optional.of(a.origin()) : Optional.empty();
    }

    /** Charges {@code cost} units to the signer, or to the address when there is none; 429 if over the limit. */
    public static void charge(Node node, Context ctx, Optional<String> signer, long cost) {
        String caller = signer.map(PeerRateLimits::peer).orElseGet(() -> PeerRateLimits.address(ctx.ip()));
        node.peerLimits().charge(caller, cost).ifPresent(wait -> {
            throw HttpServer.throttled(ctx, wait, (signer.isPresent() ? "peer " + signer.get() : "this address")
                    + " is over its rate limit on peer routes; wait and send again");
        });
    }

    /**
     * For routes served only on a signed request: the signer, charged {@code cost}. An unauthenticated request is
     * charged one unit to its address first (so a flood of garbage is slowed like any other), then refused with 401.
     */
    public static String authenticated(Node node, Context ctx, long cost) {
        String origin;
        try {
            origin = SignedPeerRequests.authenticate(node, ctx);
        } catch (ProblemException refused) {
            charge(node, ctx, Optional.empty(), 1);
            throw refused;
        }
        charge(node, ctx, Optional.of(origin), cost);
        return origin;
    }

    /** Units already spent on {@code origin}'s behalf (envelopes served), taken after the fact. */
    public static void spent(Node node, String origin, long units) {
        node.peerLimits().debit(PeerRateLimits.peer(origin), units);
    }
}
