package io.parley.api;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.federation.Federation;
import io.parley.federation.PeerDirectory;
import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.LinkStore;
import io.parley.store.OutboxStore;

/** Peers, the state of the line to each, and per-recipient delivery status. */
final class PeerRoutes {
    private final Node node;
    private final Federation federation;

    PeerRoutes(Node node, Federation federation) {
        this.node = node;
        this.federation = federation;
    }

    void register(Javalin app) {
        app.get("/api/v1/peers", this::list);
        app.post("/api/v1/peers", this::add);
        app.post("/api/v1/peers/{origin}/refresh", this::refresh);
        app.get("/api/v1/envelopes/{hash}/deliveries", this::deliveries);
    }

    private void add(Context ctx) throws PeerDirectory.PeerRefused, InterruptedException {
        ObjectNode req = Requests.jsonObject(ctx);
        String url = Requests.requiredText(req, "url");
        String fingerprint = Requests.optionalText(req, "fingerprint").orElse(null);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/url", "url must start with http:// or https://"));
        }
        PartyCard card = federation.peers().add(url, fingerprint);
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.PEER_PINNED, card.origin(),
                "key " + card.fingerprint() + (card.tlsCertSha256() == null ? "" : ", TLS certificate " + card.tlsCertSha256()) + ", at " + card.baseUrl());
        ApiRoutes.json(ctx, 201, cardView(card));
    }

    private void refresh(Context ctx) throws PeerDirectory.PeerRefused, InterruptedException {
        PartyCard card = federation.peers().refresh(ctx.pathParam("origin"));
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.PEER_PINNED, card.origin(),
                "refreshed: key " + card.fingerprint() + (card.tlsCertSha256() == null ? "" : ", TLS certificate " + card.tlsCertSha256()) + ", at " + card.baseUrl());
        ApiRoutes.json(ctx, 200, cardView(card));
    }

    private void list(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        Instant now = node.now();
        var contacts = new io.parley.practice.ContactConfirmations(node, new io.parley.practice.PracticeStore(node.db())).status(now);
        for (var party : node.knownParties()) {
            if (party.origin().equals(node.origin())) continue;
            ObjectNode o = out.addObject();
            o.put("origin", party.origin());
            o.put("fingerprint", party.fingerprint());
            federation.peerUrl(party.origin()).ifPresent(u -> o.put("base_url", u));
            if (party.flaggedReason() != null) o.put("flagged", party.flaggedReason());
            o.put("queued", federation.outbox().count(party.origin(), "queued"));
            o.put("failed", federation.outbox().count(party.origin(), "failed"));
            federation.links().link(party.origin()).ifPresent(link -> o.set("line", lineView(link, now)));
            // where it stands on re-confirming its points of contact, per channel whose charter asks it to
            ArrayNode cs = o.putArray("contacts");
            contacts.stream().filter(s -> s.party().equals(party.origin())).forEach(s -> cs.add(io.parley.practice.ContactConfirmations.json(s)));
            o.put("contacts_overdue", contacts.stream().anyMatch(s -> s.party().equals(party.origin()) && s.overdue()));
        }
        ApiRoutes.json(ctx, 200, out);
    }

    /** "Line frozen from T1 to T2": last success, current outage and every outage with its length. */
    private ObjectNode lineView(LinkStore.Link link, Instant now) {
        ObjectNode o = Json.object();
        o.put("state", link.down() ? "down" : "up");
        if (link.lastSuccess() != null) o.put("last_success", link.lastSuccess().toString());
        if (link.lastFailure() != null) o.put("last_failure", link.lastFailure().toString());
        if (link.downSince() != null) {
            o.put("down_since", link.downSince().toString());
            o.put("current_outage_seconds", Duration.between(link.downSince(), now).toSeconds());
        }
        long ongoing = link.downSince() == null ? 0 : Duration.between(link.downSince(), now).toMillis();
        o.put("total_downtime_seconds", (link.totalDowntime().toMillis() + ongoing) / 1000.0);
        o.put("attempts", link.attempts());
        o.put("failures", link.failures());
        ArrayNode outages = o.putArray("outages");
        for (LinkStore.Outage out : federation.links().outages(link.peer())) {
            ObjectNode x = outages.addObject().put("from", out.startedAt().toString()).put("first_error", out.firstError());
            if (out.endedAt() != null) {
                x.put("to", out.endedAt().toString());
                x.put("seconds", Duration.between(out.startedAt(), out.endedAt()).toMillis() / 1000.0);
            }
        }
        return o;
    }

    private void deliveries(Context ctx) {
        String hash = ctx.pathParam("hash");
        if (node.envelopes().byHash(hash).isEmpty()) throw ProblemException.notFound("no envelope with hash " + hash);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (OutboxStore.Status s : federation.outbox().forEnvelope(hash)) {
            ObjectNode o = out.addObject().put("recipient", s.recipient()).put("state", s.state()).put("attempts", s.attempts());
            if (s.deliveredAt() != null) o.put("delivered_at", s.deliveredAt().toString());
            if (s.lastError() != null) o.put("last_error", s.lastError());
            if (s.failedSince() != null && !"delivered".equals(s.state())) o.put("failing_since", s.failedSince().toString());
            if ("queued".equals(s.state()) && s.nextAttemptAt() != null) o.put("next_attempt_at", s.nextAttemptAt().toString());
            if (s.receipt() != null) o.set("receipt", Json.parse(s.receipt()));
        }
        ApiRoutes.json(ctx, 200, out);
    }

    private static ObjectNode cardView(PartyCard card) {
        ObjectNode o = Json.object().put("origin", card.origin()).put("fingerprint", card.fingerprint())
                .put("verifier_key", card.verifierKey().encoded()).put("base_url", card.baseUrl());
        o.set("card", card.toJson());
        return o;
    }
}
