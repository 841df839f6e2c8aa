package io.parley.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Rejection;
import io.parley.envelope.Verdict;
import io.parley.federation.Federation;
import io.parley.federation.PeerClient;
import io.parley.federation.PeerRateLimits;
import io.parley.json.Json;
import io.parley.node.Node;

/**
 * Node-to-node endpoints (DESIGN §4). Peers are not logged-in users: an envelope is authenticated by its signature
 * under the charter key of its sender, which the acceptor checks before anything is stored. The inbox is public, so a
 * refusal tells its specific reason only to a caller whose envelope is really signed by its sender.
 */
final class FederationRoutes {
    static final int MAX_BATCH = 500;
    private static final java.time.Duration RECEIPT_WAIT = java.time.Duration.ofSeconds(5);
    private final Node node;
    private final Federation federation;
    /**
     * Envelopes a peer sent again that this node already held: a few follow a lost receipt; a steady stream means a
     * peer re-sending what it should have marked delivered (or two of its instances sending the same outbox).
     */
    private final io.micrometer.core.instrument.Counter duplicates;

    FederationRoutes(Node node, Federation federation) {
        this.node = node;
        this.federation = federation;
        this.duplicates = io.micrometer.core.instrument.Counter.builder("parley_inbox_duplicates")
                .description("envelopes a peer delivered again that this node already held").register(node.metrics());
    }

    void register(Javalin app) {
        app.post("/federation/v1/inbox", this::inbox);
        app.get("/federation/v1/channels/{channel}/envelopes", this::catchUp);
    }

    /**
     * Catch-up (DESIGN §4): a member's chain after a seq, for a caller that proves with a signed request that it is a
     * member of the charter in force of the active channel, so a channel's envelopes never go to outsiders, nor to a
     * party an amendment merely proposes to add. A page holds at most {@link PeerClient.Page#MAX_ITEMS} items and
     * ends before the one that would take it past {@link PeerClient.Page#MAX_BYTES}, so what the caller reads is
     * bounded in count and bytes. Envelopes are served as their stored canonical text: parsed only to find the
     * TLP:RED ones, which go through {@link #servable}.
     */
    private void catchUp(Context ctx) {
        String channel = ctx.pathParam("channel");
        String requester = PeerThrottle.authenticated(node, ctx, 1); // the envelopes served are taken below
        // The same answer whether or not the channel exists here, so a peer cannot probe for channels it is not in.
        if (!node.charters().servesHistoryTo(channel, requester)) {
            throw new ProblemException(Problem.of(403, "not-member", "Forbidden", requester + " is not a member of the charter in force of channel " + channel));
        }
        String from = ctx.queryParam("from");
        if (from == null || from.isBlank()) throw ProblemException.badRequest("bad-query-parameter", "query parameter 'from' (the sender's origin) is required");
        long after = Requests.longQuery(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) Requests.longQuery(ctx, "limit", 500, 1, PeerClient.Page.MAX_ITEMS);
        ServedPage page = page(channel, from, after, limit, requester);
        PeerThrottle.spent(node, requester, PeerRateLimits.servedUnits(page.items()));
        ctx.status(200).contentType("application/json").result(page.body());
    }

    /** A catch-up answer: its JSON body and how many chain links it serves. */
    private record ServedPage(byte[] body, int items) {}

    /**
     * {@code from}'s chain after {@code after} as {@code requester} may see it: at most {@code limit} links, ending
     * before the one that would take the page past {@link PeerClient.Page#MAX_BYTES}, or at a link it must get
     * from the sender itself.
     */
    private ServedPage page(String channel, String from, long after, int limit, String requester) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(PAGE_OPEN);
        int served = 0;
        boolean more;
        long cursor = after;
        page:
        while (true) {
            // a few rows at a time: the page stops at MAX_BYTES, so what we hold stays near that however large the
            // envelopes are (up to 64 KiB each)
            int want = Math.min(READ_ROWS, limit - served);
            var links = node.envelopes().links(channel, from, cursor, want + 1);
            for (var link : links.subList(0, Math.min(want, links.size()))) {
                java.util.Optional<String> item = servable(link, requester);
                if (item.isEmpty()) {
                    more = false; // the requester must fill this link from the sender itself; nothing after it would fit
                    break page;
                }
                byte[] bytes = item.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (served > 0 && out.size() + 1 + bytes.length > PeerClient.Page.MAX_BYTES) {
                    more = true;
                    break page;
                }
                if (served > 0) out.write(',');
                out.writeBytes(bytes);
                served++;
                cursor = link.seq();
            }
            if (links.size() <= want || served == limit) {
                more = links.size() > want;
                break;
            }
        }
        out.writeBytes(("],\"more\":" + more + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new ServedPage(out.toByteArray(), served);
    }

    /** Chain links read per query while a catch-up page is filled. */
    private static final int READ_ROWS = 100;
    private static final byte[] PAGE_OPEN = "{\"envelopes\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * What of one chain link may go to {@code requester} (TLP:RED, issue 10), as JSON text: an envelope (its stored
     * canonical text), unless it is RED and does not name the requester; then the sender's signed withheld notice,
     * which this node has if it sent the envelope (it signs it again: Ed25519 is deterministic, so the bytes are those
     * it pushed) or was itself withheld from it. A recipient of someone else's RED envelope holds no notice for it and
     * serves nothing from there on.
     */
    private java.util.Optional<String> servable(io.parley.store.EnvelopeStore.Link link, String requester) {
        if (link.withheld()) {
            var notice = io.parley.envelope.WithheldNotice.fromJson(Json.parse(link.canonical()));
            return notice.recipients().contains(requester) ? java.util.Optional.empty() : java.util.Optional.of(Json.write(notice.toJson()));
        }
        JsonNode json = Json.parse(link.canonical());
        boolean red = io.parley.envelope.Tlp.fromWire(json.path("tlp").asText()).filter(t -> t != io.parley.envelope.Tlp.RED).isEmpty();
        if (!red) return java.util.Optional.of(link.canonical());
        Envelope e = Envelope.fromJson(json);
        java.util.Optional<java.util.Set<String>> named;
        try {
            named = node.acceptor().redRecipients(e);
        } catch (EnvelopeFormatException ex) {
            return java.util.Optional.empty(); // a RED envelope whose audience cannot be read goes to nobody
        }
        if (named.isEmpty() || named.get().contains(requester) || e.from().equals(requester)) return java.util.Optional.of(link.canonical());
        return node.composer().noticeFor(e).map(n -> Json.write(n.toJson()));
    }

    /** One envelope (answered with its verdict, or a problem) or a batch {@code {"envelopes": [...]}} / array. */
    private void inbox(Context ctx) {
        // The inbox is open to unsigned posts (envelopes carry their own signatures); a signed post is charged to its
        // peer, anything else to its address, one unit per envelope, before any envelope is judged.
        var signer = PeerThrottle.signer(node, ctx);
        PeerThrottle.charge(node, ctx, signer, 1); // before parsing: unparseable garbage pays too
        JsonNode body = Requests.jsonBody(ctx);
        JsonNode items = body.isArray() ? body : body.isObject() && body.has("envelopes") ? body.get("envelopes") : null;
        if (items != null && items.isArray() && items.size() > 1) PeerThrottle.charge(node, ctx, signer, Math.min(items.size(), MAX_BATCH) - 1);
        if (body.isObject() && !body.has("envelopes")) {
            ObjectNode result = judge(body, ctx.ip());
            attachReceipts(java.util.List.of(result));
            if (result.has("problem")) {
                Problem p = problemOf(result);
                HttpServer.respond(ctx, p);
                return;
            }
            ApiRoutes.json(ctx, result.path("status").asText().equals("accepted") ? 201 : 200, result);
            return;
        }
        JsonNode batch = body.isArray() ? body : body.get("envelopes");
        if (batch == null || !batch.isArray()) {
            throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/envelopes", "envelopes must be an array"));
        }
        if (batch.size() > MAX_BATCH) throw ProblemException.badRequest("batch-too-large", "a batch holds at most " + MAX_BATCH + " envelopes, got " + batch.size());
        ArrayNode results = Json.MAPPER.createArrayNode();
        judgeBatch(batch, ctx.ip()).forEach(results::add);
        attachReceipts(results);
        ObjectNode out = Json.object();
        out.set("results", results);
        ApiRoutes.json(ctx, 200, out);
    }

    /**
     * A batch's answers in its order. Runs of envelopes are judged together ({@link io.parley.channel.EnvelopeAcceptor#acceptAll}:
     * signatures in parallel, one transaction per run of chain extensions), split where a key hand-over begins
     * ({@link io.parley.federation.KeyHandOver#judgeInRuns}); a withheld notice or an unparseable item is judged alone
     * in its place, so the answers read as if each item had been posted by itself.
     */
    private java.util.List<ObjectNode> judgeBatch(JsonNode batch, String remote) {
        ObjectNode[] out = new ObjectNode[batch.size()];
        java.util.List<Envelope> run = new java.util.ArrayList<>();
        java.util.List<Integer> at = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode json = batch.get(i);
            if (io.parley.envelope.WithheldNotice.isNotice(json)) {
                judgeRun(run, at, remote, out);
                out[i] = judgeNotice(json, remote);
                continue;
            }
            java.util.Optional<Envelope> e = parse(json, remote, out, i);
            if (e.isEmpty()) continue;
            run.add(e.get());
            at.add(i);
        }
        judgeRun(run, at, remote, out);
        return java.util.List.of(out);
    }

    /** Judges the envelopes gathered so far together and answers each in its place; empties the run. */
    private void judgeRun(java.util.List<Envelope> run, java.util.List<Integer> at, String remote, ObjectNode[] out) {
        if (run.isEmpty()) return;
        java.util.List<Verdict> verdicts = federation.handOver().judgeInRuns(run, remote, r -> node.acceptor().acceptAll(r, remote), v -> false);
        java.util.Set<String> heard = new java.util.TreeSet<>();
        for (int k = 0; k < run.size(); k++) {
            out[at.get(k)] = answer(run.get(k), verdicts.get(k));
            if (verdicts.get(k) instanceof Verdict.Accepted) heard.add(run.get(k).from());
        }
        heard.forEach(federation::heardFrom); // once per sender, not per envelope: it wakes the outbox in a transaction
        run.clear();
        at.clear();
    }

    /** The envelope {@code json} holds; if it holds none, the refusal is recorded and answered in {@code out[i]}. */
    private java.util.Optional<Envelope> parse(JsonNode json, String remote, ObjectNode[] out, int i) {
        try {
            return java.util.Optional.of(Envelope.fromJson(json));
        } catch (EnvelopeFormatException ex) {
            Rejection r = new Rejection.Malformed(ex.field(), ex.getMessage());
            node.refusals().unverified(text(json, "channel"), text(json, "from"), null, r, Json.write(json).getBytes(java.nio.charset.StandardCharsets.UTF_8), remote);
            out[i] = rejected(Json.object(), r);
            return java.util.Optional.empty();
        }
    }

    private ObjectNode judge(JsonNode json, String remote) {
        if (io.parley.envelope.WithheldNotice.isNotice(json)) return judgeNotice(json, remote);
        ObjectNode[] out = new ObjectNode[1];
        java.util.Optional<Envelope> e = parse(json, remote, out, 0);
        if (e.isEmpty()) return out[0];
        federation.handOver().follow(e.get(), remote); // a key hand-over in band: the envelope then verifies under the new key
        Verdict v = node.acceptor().accept(e.get(), remote);
        if (v instanceof Verdict.Accepted) federation.heardFrom(e.get().from());
        return answer(e.get(), v);
    }

    /** The answer to one envelope: its verdict, with the true reason of a refusal only for what its sender signed. */
    private ObjectNode answer(Envelope e, Verdict verdict) {
        ObjectNode out = Json.object();
        switch (verdict) {
            case Verdict.Accepted a -> out.put("status", "accepted").put("hash", a.hash());
            case Verdict.Duplicate d -> {
                duplicates.increment();
                out.put("status", "duplicate").put("hash", d.hash());
            }
            case Verdict.Rejected r -> {
                // The true reason is recorded (GET /api/v1/rejections); the caller learns it only if the envelope is
                // really signed by its sender. Otherwise anyone could post forged envelopes and read from the codes
                // which channels exist here and who is in them.
                Rejection shown = signedBySender(e) ? r.reason() : new Rejection.BadSignature(e.from());
                rejected(out, shown);
                if (shown instanceof Rejection.ChainGap) federation.gapSeen(e.channel(), e.from());
                // Perhaps signed by a key its sender rotated to and we have not learnt yet: held, then judged again. The
                // answer does not say so: "held" would tell an anonymous caller which forged sender is a member of a
                // real channel here. The sender retries a bad signature anyway.
                if (r.reason() instanceof Rejection.BadSignature) federation.handOver().hold(e);
            }
        }
        return out;
    }

    /** A withheld notice (TLP:RED sent to others): the same answers as for an envelope, named by the envelope's hash. */
    private ObjectNode judgeNotice(JsonNode json, String remote) {
        ObjectNode out = Json.object();
        io.parley.envelope.WithheldNotice n;
        try {
            n = io.parley.envelope.WithheldNotice.fromJson(json);
        } catch (EnvelopeFormatException ex) {
            Rejection r = new Rejection.Malformed(ex.field(), ex.getMessage());
            node.refusals().unverified(text(json, "channel"), text(json, "from"), null, r, Json.write(json).getBytes(java.nio.charset.StandardCharsets.UTF_8), remote);
            return rejected(out, r);
        }
        switch (node.acceptor().acceptNotice(n, remote)) {
            case io.parley.channel.EnvelopeAcceptor.NoticeVerdict.Linked l -> {
                out.put("status", "accepted").put("hash", l.hash());
                federation.heardFrom(n.from());
            }
            case io.parley.channel.EnvelopeAcceptor.NoticeVerdict.Duplicate d -> out.put("status", "duplicate").put("hash", d.hash());
            // kept beside the RED envelope we hold as a named recipient: no new log entry, so no receipt to give
            case io.parley.channel.EnvelopeAcceptor.NoticeVerdict.Attached a -> out.put("status", "attached").put("hash", a.hash());
            case io.parley.channel.EnvelopeAcceptor.NoticeVerdict.Rejected r -> {
                // As for envelopes: the true reason only to a notice its sender really signed.
                rejected(out, signedBySender(n) ? r.reason() : new Rejection.BadSignature(n.from()));
                if (r.reason() instanceof Rejection.ChainGap) federation.gapSeen(n.channel(), n.from());
            }
        }
        return out;
    }

    /**
     * The answer to a delivery is the receipt (DESIGN §4): wait briefly for the sequencer, which group-commits within
     * milliseconds on an idle node; if the log is slower, say so and let the sender fetch the receipt later. Each
     * receipt carries our signed word of when we logged the envelope ({@link io.parley.receipt.LogTime}): the time we
     * first stored it, so a retried delivery gets the same statement, byte for byte.
     */
    private void attachReceipts(Iterable<JsonNode> results) {
        java.util.List<String> hashes = new java.util.ArrayList<>();
        for (JsonNode result : results) {
            String status = result.path("status").asText();
            if (status.equals("accepted") || status.equals("duplicate")) hashes.add(result.path("hash").asText());
        }
        if (hashes.isEmpty()) return;
        // one wait for the sequencer and one lookup for the whole batch; the signed log time per envelope
        var receipts = node.log().receipts(hashes, RECEIPT_WAIT);
        var logged = node.envelopes().receivedAt(receipts.keySet());
        java.util.List<ObjectNode> answered = new java.util.ArrayList<>();
        for (JsonNode result : results) {
            String status = result.path("status").asText();
            if (status.equals("accepted") || status.equals("duplicate")) answered.add((ObjectNode) result);
        }
        // a signature per receipt: made in parallel, as the batch's signatures were checked
        java.util.stream.Stream<ObjectNode> each = answered.size() >= 4 ? answered.parallelStream() : answered.stream();
        each.forEach(out -> {
            String hash = out.path("hash").asText();
            var receipt = receipts.get(hash);
            if (receipt == null) {
                out.put("receipt_pending", true);
                return;
            }
            ObjectNode json = receipt.toJson();
            java.time.Instant at = logged.get(hash);
            if (at != null) json.set("logged", io.parley.receipt.LogTime.sign(node.key(), node.origin(), hash, at).toJson());
            out.set("receipt", json);
        });
    }

    /** Whether {@code e}'s signature verifies under the key we pinned for its sender or its key in the channel's charter. */
    private boolean signedBySender(io.parley.envelope.WithheldNotice n) {
        if (node.trustedLogKey(n.from()).map(n::verify).orElse(false)) return true;
        return node.charters().member(n.channel(), n.from(), io.parley.envelope.Kind.NOTIFY).map(m -> n.verify(m.key())).orElse(false);
    }

    private boolean signedBySender(Envelope e) {
        if (node.trustedLogKey(e.from()).map(k -> EnvelopeSigner.verify(e, k)).orElse(false)) return true;
        return node.charters().member(e.channel(), e.from(), e.kind()).map(m -> EnvelopeSigner.verify(e, m.key())).orElse(false);
    }

    private static ObjectNode rejected(ObjectNode out, Rejection r) {
        out.put("status", "rejected").put("code", r.code()).put("detail", r.detail());
        out.set("problem", Problem.of(r.httpStatus(), r.code(), "Envelope refused", r.detail()).toJson(null));
        return out;
    }

    private static Problem problemOf(ObjectNode result) {
        JsonNode p = result.get("problem");
        return new Problem(p.path("type").asText(), p.path("title").asText(), p.path("status").asInt(), p.path("detail").asText(), null);
    }

    private static String text(JsonNode json, String name) {
        JsonNode v = json == null ? null : json.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
