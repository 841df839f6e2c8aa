package io.parley.taxii;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.json.Json;

/**
 * Retraction reaches the evidence. A signed {@code retract} envelope withdraws evidence its sender shared, on every
 * member node alike (the evidence indexer runs this for every envelope stored, ours and our peers'):
 * <ul>
 *   <li>a case's opener retracting the case withdraws everything it shared in the case;</li>
 *   <li>any member's {@code retract} whose body names bundles, {@code {"evidence_retracted": [<sha256>...]}},
 *       withdraws what it shared of those bundles (in the envelope's case when it has one, else anywhere in the
 *       channel), and leaves the case itself as it was ({@link io.parley.timeline.CaseTimeline}).</li>
 * </ul>
 * Withdrawn means: each STIX object that STIX lets its creator revoke (an SDO or SRO: it has {@code modified}) gets a
 * new version, the same object with {@code "revoked": true} and a later {@code modified} (the retract's signed time,
 * or a millisecond after the previous version), stored with a fresh {@code date_added}, so a TAXII client that
 * pulled the object sees the revocation through {@code added_after} and {@code versions}; objects STIX cannot revoke
 * (cyber observables, marking definitions: no {@code modified}) are no longer served from that sharing; and the
 * sharing's observables leave correlation. A bundle fetched after its retraction is never indexed.
 *
 * <p>Invariant: every query is scoped to the retract envelope's own sender and channel, so a member can only ever
 * withdraw what it shared itself, whatever its envelope names. The signed envelope, kept and logged like every
 * envelope, is the record of what was withdrawn, when and by whom; {@code evidence_retractions} lists it per case.
 */
public final class EvidenceRetractions {
    /** The body member of a retract that names bundles. */
    public static final String FIELD = "evidence_retracted";
    /** Bundles one retract may name. */
    public static final int MAX_NAMED = 100;

    private final RetractionStore store;
    private final TaxiiStore taxii;
    private final Clock clock;

    EvidenceRetractions(RetractionStore store, TaxiiStore taxii, Clock clock) {
        this.store = store;
        this.taxii = taxii;
        this.clock = clock;
    }

    /** Whether {@code e} withdraws evidence: a retract naming bundles, or an opener's retract of its case. */
    public static boolean withdrawsEvidence(Envelope e) {
        return e.kind() == Kind.RETRACT && (e.body().has(FIELD) || e.caseId() != null && CaseIds.boundTo(e.caseId(), e.from()));
    }

    /** Applies the retract envelope {@code e} (hash {@code hash}); anything else is left alone. Idempotent. */
    void apply(String hash, Envelope e) {
        if (!withdrawsEvidence(e)) return;
        List<String> named = e.body().has(FIELD) ? named(e.body().get(FIELD)) : null;
        if (named != null && named.isEmpty()) return;
        List<String> sharing = store.sharingEnvelopes(e.channel(), e.from(), e.caseId(), named);
        // naming what one never shared withdraws nothing, and is no record of a withdrawal (the envelope stays on record)
        if (sharing.isEmpty()) return;
        int revoked = revoke(e.channel(), e.from(), sharing, e.createdAt());
        store.dropObservables(e.channel(), e.from(), sharing);
        Instant now = clock.instant();
        for (String ref : named == null ? List.of(RetractionStore.WHOLE_CASE) : named) {
            store.record(new RetractionStore.Retraction(hash, e.channel(), e.from(), e.caseId(), ref, e.createdAt().toString(), revoked), now);
        }
    }

    /** Whether what {@code sender} shared of {@code sha256} in that case and channel was withdrawn. */
    boolean withdrawn(String channel, String sender, String caseId, String sha256) {
        return channel != null && store.withdrawn(channel, sender, caseId, sha256);
    }

    private static List<String> named(JsonNode field) {
        TreeSet<String> out = new TreeSet<>();
        if (field == null || !field.isArray()) return List.of();
        for (JsonNode n : field) {
            String sha = n.isTextual() ? n.textValue() : n.path("sha256").asText("");
            if (EvidenceIngest.SHA256.matcher(sha).matches()) out.add(sha);
            if (out.size() == MAX_NAMED) break;
        }
        return List.copyOf(out);
    }

    /** Revokes the latest version of every object shared by {@code sharing}; returns how many objects were withdrawn. */
    private int revoke(String channel, String sender, List<String> sharing, Instant at) {
        Map<String, List<RetractionStore.SharedObject>> byObject = new LinkedHashMap<>();
        for (RetractionStore.SharedObject o : store.sharedBy(channel, sender, sharing)) {
            byObject.computeIfAbsent(o.collection() + "\u0000" + o.objectId(), k -> new ArrayList<>()).add(o);
        }
        Map<String, List<TaxiiStore.NewObject>> versions = new LinkedHashMap<>();
        int withdrawn = 0;
        for (List<RetractionStore.SharedObject> group : byObject.values()) {
            RetractionStore.SharedObject latest = group.get(group.size() - 1); // ordered by version_key
            JsonNode json = Json.parse(latest.json());
            if (json.path("revoked").asBoolean(false)) continue;
            withdrawn++;
            if (!json.path("modified").isTextual()) {
                for (RetractionStore.SharedObject o : group) store.drop(o.id());
                continue;
            }
            long micros = TaxiiStore.micros(later(at, json.get("modified").textValue()));
            String version = TaxiiStore.format(micros);
            ObjectNode revoked = ((ObjectNode) json).deepCopy();
            revoked.put("revoked", true);
            revoked.put("modified", version);
            versions.computeIfAbsent(latest.collection(), k -> new ArrayList<>()).add(new TaxiiStore.NewObject(latest.objectId(), latest.type(),
                    latest.specVersion(), version, micros, latest.tlp(), latest.named(), latest.channel(), latest.envelopeHash(), latest.sender(),
                    latest.recipients(), latest.caseId(), Json.write(revoked)));
        }
        Instant now = clock.instant();
        versions.forEach((collection, rows) -> taxii.insert(collection, rows, now));
        return withdrawn;
    }

    /** The revoking version's time: the retract's signed time, unless that is not after the previous version. */
    private static Instant later(Instant at, String previous) {
        try {
            Instant prev = Instant.parse(previous);
            return at.isAfter(prev) ? at : prev.plus(1, ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return at;
        }
    }

    /** {@code retracted_evidence[]} of a case: what was withdrawn in it, by whom and when, and by which envelope. */
    public ArrayNode json(String channel, String caseId) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (RetractionStore.Retraction r : store.inCase(channel, caseId)) out.add(json(r));
        return out;
    }

    /** The withdrawals that reached bundle {@code sha256}, for its readers. */
    public ArrayNode ofBundle(String sha256) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (RetractionStore.Retraction r : store.ofBundle(sha256)) out.add(json(r));
        return out;
    }

    private static ObjectNode json(RetractionStore.Retraction r) {
        ObjectNode o = Json.object().put("retract", r.retractHash()).put("by", r.sender()).put("at", r.retractedAt()).put("channel", r.channel());
        if (r.caseId() == null) o.putNull("case");
        else o.put("case", r.caseId());
        if (RetractionStore.WHOLE_CASE.equals(r.refSha256())) o.put("scope", "case");
        else o.put("scope", "bundle").put("evidence", r.refSha256());
        o.put("objects_withdrawn", r.objectsRevoked());
        return o;
    }
}
