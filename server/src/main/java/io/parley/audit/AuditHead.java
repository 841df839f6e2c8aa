package io.parley.audit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * The item a node appends to its own transparency log to commit to its audit trail: canonical JSON naming the node
 * (its log origin), a record's {@code seq} and that record's hash, which pins every record before it.
 *
 * <p>Like every log item, only its commitment ({@code SHA-256} of these bytes, {@link io.parley.log.LogEntry#of}) is
 * public. The hash it names is unguessable, so the public entry cannot be recognised as an audit head, nor linked to a
 * record, by anyone without the trail. It is not signed separately: the node's signed checkpoint over the entry, and
 * the peers' cosignatures of it, are the statement.
 */
public record AuditHead(String origin, long seq, String hash) {
    public static final String TYPE = "parley.audit-head/v1";
    /** The local ref of the log entry (never public); {@code audit-head:SEQ:HASH}. */
    public static final String REF_PREFIX = "audit-head:";
    private static final Pattern REF = Pattern.compile("audit-head:([1-9][0-9]{0,18}):([0-9a-f]{64})");
    private static final Pattern DETAIL = Pattern.compile("head ([0-9a-f]{64}) at log index ([0-9]{1,19})");

    /** The JSON whose RFC 8785 bytes are the item. */
    public ObjectNode toJson() {
        return Json.object().put("type", TYPE).put("origin", origin).put("seq", seq).put("hash", hash);
    }

    public byte[] canonical() {
        return Jcs.canonicalize(toJson());
    }

    public String ref() {
        return REF_PREFIX + seq + ":" + hash;
    }

    /** The head a log entry's ref names, if it is an audit head's. */
    public static Optional<AuditHead> fromRef(String origin, String ref) {
        Matcher m = REF.matcher(ref);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new AuditHead(origin, Long.parseLong(m.group(1)), m.group(2)));
    }

    /** A committed head and the log index that holds it, as a {@link AuditAction#HEAD_COMMITTED} record states it. */
    public record Commitment(AuditHead head, long logIndex, long recordSeq) {}

    /** The event that records {@code head} as committed at {@code logIndex}. */
    static AuditEvent committedEvent(AuditHead head, long logIndex) {
        return AuditEvent.done("node", AuditAction.HEAD_COMMITTED, Long.toString(head.seq()), "node",
                "head " + head.hash() + " at log index " + logIndex);
    }

    /** What a {@link AuditAction#HEAD_COMMITTED} record states, or empty if it does not say it in the expected form. */
    public static Optional<Commitment> fromRecord(String origin, AuditRecord r) {
        if (!r.action().equals(AuditAction.HEAD_COMMITTED.code()) || !r.target().matches("[1-9][0-9]{0,18}")) return Optional.empty();
        Matcher m = DETAIL.matcher(r.detail());
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(new Commitment(new AuditHead(origin, Long.parseLong(r.target()), m.group(1)), Long.parseLong(m.group(2)), r.seq()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
