package io.parley.taxii;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.node.Refusal;

/**
 * This node withdrawing evidence it shared: one signed {@code retract} envelope per channel and case the bundle was
 * shared in, naming the bundle ({@link EvidenceRetractions#FIELD}), under the label and to the audience it was shared
 * with. Every member node, this one included, then withdraws it when its indexer reaches the envelope.
 */
public final class EvidenceWithdrawal {
    private final Node node;
    private final Evidence evidence;

    public EvidenceWithdrawal(Node node, Evidence evidence) {
        this.node = node;
        this.evidence = evidence;
    }

    /** A withdrawal that cannot be done, as a problem for the API. */
    public static final class Refused extends Refusal {
        Refused(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /**
     * Withdraws bundle {@code sha256} wherever this node shared it (only in {@code channel} and {@code caseId} when
     * given); returns one entry per retract envelope signed.
     */
    public ArrayNode withdraw(String sha256, String channel, String caseId, String reason, String lang, String author) {
        if (!EvidenceIngest.SHA256.matcher(sha256).matches()) throw new Refused(400, "invalid-field", "the evidence is named by its lowercase hex SHA-256");
        Map<String, EvidenceStore.Link> contexts = new LinkedHashMap<>();
        List<EvidenceStore.Link> links = new ArrayList<>(evidence.store().linksNaming(sha256));
        links.addAll(evidence.store().linksHolding(sha256));
        for (EvidenceStore.Link l : links) {
            if (!l.sender().equals(node.origin())) continue; // only the party that shared evidence may withdraw it
            if (channel != null && !channel.equals(l.channel()) || caseId != null && !caseId.equals(l.caseId())) continue;
            contexts.putIfAbsent(l.channel() + "\u0000" + Objects.requireNonNullElse(l.caseId(), ""), l);
        }
        if (contexts.isEmpty()) {
            throw new Refused(404, "not-shared", "this node shared no evidence " + sha256 + (channel == null ? "" : " in channel " + channel)
                    + (caseId == null ? "" : " in case " + caseId) + "; only the party that shared evidence can retract it");
        }
        RetractionStore retractions = new RetractionStore(evidence.taxii().db());
        contexts.values().removeIf(l -> retractions.withdrawn(l.channel(), l.sender(), l.caseId(), sha256));
        if (contexts.isEmpty()) throw new Refused(409, "already-retracted", "evidence " + sha256 + " is already withdrawn wherever this node shared it");
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (EvidenceStore.Link l : contexts.values()) {
            ObjectNode body = Json.object();
            body.putArray(EvidenceRetractions.FIELD).add(sha256);
            if (reason != null && !reason.isBlank()) body.put("text", reason).put("lang", lang == null ? "en" : lang);
            if (l.tlp() == Tlp.RED && l.recipients() != null) {
                ArrayNode to = body.putArray("recipients");
                l.recipients().stream().filter(r -> !r.equals(node.origin())).sorted().forEach(to::add);
            }
            Verdict v = node.composer().compose(new Composer.Draft(l.channel(), Kind.RETRACT, l.caseId(), Priority.ROUTINE, l.tlp(), body, author));
            if (v instanceof Verdict.Rejected r) throw new Refused(r.reason().httpStatus(), r.reason().code(), r.reason().detail());
            // withdrawn here at once, so the answer and a repeated request see it (the indexer, reaching the envelope later, finds it done)
            if (v instanceof Verdict.Accepted a) evidence.ingest().retractions().apply(a.hash(), a.envelope());
            ObjectNode x = out.addObject().put("channel", l.channel());
            if (l.caseId() == null) x.putNull("case");
            else x.put("case", l.caseId());
            x.put("envelope", v instanceof Verdict.Accepted a ? a.hash() : ((Verdict.Duplicate) v).hash());
        }
        return out;
    }
}
