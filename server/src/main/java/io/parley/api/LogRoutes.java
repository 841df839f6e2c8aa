package io.parley.api;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.json.Json;
import io.parley.log.FormatException;
import io.parley.log.TileCoordinates;
import io.parley.node.Node;
import io.parley.transparency.StoredCheckpoint;
import io.parley.transparency.Witness;

/**
 * The log per C2SP tlog-tiles under {@code /log/} (public, cacheable), the C2SP tlog-witness endpoint, and the
 * proof API under {@code /api/v1/log}.
 */
final class LogRoutes {
    /** A tile's bytes at a given path never change (full or partial of a given width), so caches may keep them. */
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private final Node node;

    LogRoutes(Node node) {
        this.node = node;
    }

    void register(Javalin app) {
        app.get("/log/checkpoint", this::checkpoint);
        app.get("/log/tile/*", this::tile);
        app.post("/log/witness/add-checkpoint", this::addCheckpoint);
        app.get("/api/v1/log", this::status);
        app.get("/api/v1/log/proof/inclusion", this::inclusion);
        app.get("/api/v1/log/proof/consistency", this::consistency);
        app.get("/api/v1/envelopes/{hash}/receipt", this::receipt);
        app.get("/api/v1/witness/conflicts", this::conflicts);
    }

    private void checkpoint(Context ctx) {
        var note = node.log().cosignedCheckpoint()
                .orElseThrow(() -> new ProblemException(Problem.of(404, "no-checkpoint", "Not found", "the log has no checkpoint yet")));
        ctx.header("Cache-Control", "no-cache").contentType("text/plain; charset=utf-8").result(note.encode());
    }

    private void tile(Context ctx) {
        TileCoordinates c;
        try {
            c = TileCoordinates.parse(ctx.path().substring("/log/".length()));
        } catch (FormatException e) {
            throw ProblemException.notFound("not a tile path: " + ctx.path());
        }
        byte[] data = (c.entries() ? node.log().entryBundle(c) : node.log().tile(c))
                .orElseThrow(() -> ProblemException.notFound("the log has no " + c.path() + " yet"));
        ctx.header("Cache-Control", IMMUTABLE).contentType("application/octet-stream").result(data);
    }

    private void addCheckpoint(Context ctx) {
        // open to anyone (C2SP tlog-witness); a peer's signed request is charged to the peer, anything else to its address
        PeerThrottle.charge(node, ctx, PeerThrottle.signer(node, ctx), 1);
        byte[] body = RequestBodies.read(ctx);
        Witness.Result r = node.witness().addCheckpoint(body);
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }

    private void status(Context ctx) {
        ObjectNode o = Json.object();
        o.put("origin", node.origin());
        o.put("verifier_key", node.key().verifierKey().encoded());
        o.put("witness_key", node.witnessKey().vkey());
        node.log().latest().ifPresentOrElse(c -> {
            o.put("size", c.size());
            o.put("root", Base64.getEncoder().encodeToString(c.root()));
            o.put("checkpoint", node.log().withCosignatures(c).encode());
            o.put("checkpoint_created_at", c.createdAt().toString());
        }, () -> o.put("size", 0));
        o.put("queued", node.log().store().queueLength());
        ApiRoutes.json(ctx, 200, o);
    }

    private void inclusion(Context ctx) {
        long size = sizeParam(ctx, "size");
        long index = Requests.longQuery(ctx, "index", -1, 0, Long.MAX_VALUE);
        if (index < 0) throw ProblemException.badRequest("bad-query-parameter", "query parameter 'index' is required");
        if (index >= size) throw ProblemException.badRequest("bad-query-parameter", "index " + index + " is not in a tree of size " + size);
        List<byte[]> proof = node.log().inclusionProof(index, size);
        ObjectNode o = Json.object().put("index", index).put("size", size);
        o.set("proof", hashes(proof));
        checkpointAt(size, o);
        ApiRoutes.json(ctx, 200, o);
    }

    private void consistency(Context ctx) {
        long newSize = sizeParam(ctx, "new");
        long oldSize = Requests.longQuery(ctx, "old", -1, 0, Long.MAX_VALUE);
        if (oldSize < 0) throw ProblemException.badRequest("bad-query-parameter", "query parameter 'old' is required");
        if (oldSize > newSize) throw ProblemException.badRequest("bad-query-parameter", "old size " + oldSize + " exceeds new size " + newSize);
        ObjectNode o = Json.object().put("old", oldSize).put("new", newSize);
        o.set("proof", hashes(node.log().consistencyProof(oldSize, newSize)));
        checkpointAt(newSize, o);
        ApiRoutes.json(ctx, 200, o);
    }

    private void receipt(Context ctx) {
        String hash = ctx.pathParam("hash");
        if (node.envelopes().byHash(hash).isEmpty()) throw ProblemException.notFound("no envelope with hash " + hash);
        node.log().awaitIndex(hash, java.time.Duration.ofSeconds(5));
        var receipt = node.log().receipt(hash)
                .orElseThrow(() -> new ProblemException(Problem.of(503, "not-yet-logged", "Not yet logged", "the envelope is queued for the log; retry shortly")));
        ApiRoutes.json(ctx, 200, receipt.toJson());
    }

    private void conflicts(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Witness.Conflict c : node.witness().conflicts()) {
            ObjectNode o = out.addObject().put("origin", c.origin()).put("reason", c.reason()).put("detected_at", c.detectedAt().toString())
                    .put("held_checkpoint", c.heldNote()).put("offered_checkpoint", c.offeredNote());
            ArrayNode proof = o.putArray("proof");
            c.proof().forEach(proof::add);
        }
        ApiRoutes.json(ctx, 200, out);
    }

    /** A size parameter defaulting to the published size and never beyond it. */
    private long sizeParam(Context ctx, String name) {
        long published = node.log().latest().map(StoredCheckpoint::size).orElse(0L);
        long size = Requests.longQuery(ctx, name, published, 0, Long.MAX_VALUE);
        if (size > published) throw ProblemException.badRequest("bad-query-parameter", "the log has " + published + " entries; " + name + "=" + size + " is beyond it");
        return size;
    }

    private void checkpointAt(long size, ObjectNode o) {
        node.log().store().checkpoint(size).ifPresent(c -> o.put("checkpoint", node.log().withCosignatures(c).encode()));
    }

    private static ArrayNode hashes(List<byte[]> proof) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        proof.forEach(h -> a.add(Base64.getEncoder().encodeToString(h)));
        return a;
    }
}
