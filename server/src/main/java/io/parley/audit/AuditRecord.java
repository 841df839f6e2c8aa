package io.parley.audit;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * One record of the trail, in its place: {@code seq} counts from 1, {@code prev} is the hash of record {@code seq - 1}
 * (64 zeros for the first), {@code hash} the SHA-256 of {@link #canonical()}.
 */
public record AuditRecord(long seq, Instant at, String actor, String action, String target, String from, boolean ok,
        String detail, String prev, String hash) {

    /** The hash that comes before the first record. */
    public static final String GENESIS = "0".repeat(64);

    /** The record for {@code event} following {@code prev} at {@code seq}, its hash computed. */
    static AuditRecord chain(long seq, Instant at, AuditEvent event, String prev) {
        AuditRecord unhashed = new AuditRecord(seq, at, event.actor(), event.action().code(), event.target(), event.from(),
                event.ok(), event.detail(), prev, "");
        return unhashed.withHash(unhashed.computedHash());
    }

    /** The fields the hash covers, as JSON (everything but {@code hash}). */
    public ObjectNode body() {
        ObjectNode o = Json.object();
        o.put("seq", seq);
        o.put("at", at.toString());
        o.put("actor", actor);
        o.put("action", action);
        o.put("target", target);
        o.put("from", from);
        o.put("ok", ok);
        o.put("detail", detail);
        o.put("prev", prev);
        return o;
    }

    /** RFC 8785 bytes of {@link #body()}: what is hashed. */
    public byte[] canonical() {
        return Jcs.canonicalize(body());
    }

    /** What {@link #hash} must be for this record's fields. */
    public String computedHash() {
        return Sha256.hex(Sha256.hash(canonical()));
    }

    /** The record as the API serves it: {@link #body()} plus {@code hash}. */
    public ObjectNode toJson() {
        ObjectNode o = body();
        o.put("hash", hash);
        return o;
    }

    AuditRecord withHash(String h) {
        return new AuditRecord(seq, at, actor, action, target, from, ok, detail, prev, h);
    }
}
