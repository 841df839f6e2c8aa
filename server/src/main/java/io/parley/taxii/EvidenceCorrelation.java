package io.parley.taxii;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MarkingPolicy;
import io.parley.evidence.Observable;
import io.parley.evidence.ObservableType;
import io.parley.json.Json;

/**
 * Correlation across parties: where an observable appeared, and which other cases share observables with a case.
 * Each row of the correlation index carries the audience and TLP it was indexed under, and a user sees only the rows
 * {@link MarkingPolicy} lets them read (for a pair of cases, both sides).
 */
public final class EvidenceCorrelation {
    /** Correlation answers are cut at this many rows (newest first). */
    static final int MAX_SIGHTINGS = 1000;
    /** Observable pairs read for one case's correlations. */
    private static final int MAX_PAIRS = 20_000;

    private final EvidenceStore store;
    private final Audiences audiences;

    public EvidenceCorrelation(EvidenceStore store, Audiences audiences) {
        this.store = store;
        this.audiences = audiences;
    }

    /** Where an observable appeared, as far as {@code user} may see: channel, party, time, TLP, case. Newest first. */
    public ArrayNode sightings(LocalUser user, ObservableType type, String value) {
        Optional<Observable> ob = Observable.of(type, value);
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (ob.isEmpty()) return out;
        Map<String, Audience> cache = new HashMap<>();
        for (EvidenceStore.ObservableRow r : store.sightings(type.wire(), ob.get().value(), MAX_SIGHTINGS)) {
            if (!visible(user, r, cache)) continue;
            out.add(sightingJson(r));
        }
        return out;
    }

    /**
     * Other cases that share observables with case {@code caseId} of {@code channel} (null: evidence filed here under
     * the id without a channel), as far as {@code user} may see both sides: per other case, named by channel and id,
     * the shared values, and where (channel, party, time, TLP) the other case reported them.
     */
    public ObjectNode caseCorrelations(LocalUser user, String channel, String caseId) {
        Map<String, Audience> cache = new HashMap<>();
        Map<String, ObjectNode> byCase = new TreeMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (EvidenceStore.Pair p : store.sharedWithOtherCases(channel, caseId, MAX_PAIRS)) {
            if (!visible(user, p.mine(), cache) || !visible(user, p.other(), cache)) continue;
            String otherKey = p.other().channel() + "\u0000" + p.other().caseId();
            ObjectNode c = byCase.computeIfAbsent(otherKey, k -> {
                ObjectNode n = Json.object().put("case", p.other().caseId());
                if (p.other().channel().isEmpty()) n.putNull("channel");
                else n.put("channel", p.other().channel());
                n.putArray("shared");
                n.putArray("sightings");
                return n;
            });
            String key = p.other().type() + "\u0000" + p.other().value();
            Set<String> s = seen.computeIfAbsent(otherKey, k -> new HashSet<>());
            if (s.add(key)) ((ArrayNode) c.get("shared")).addObject().put("type", p.other().type()).put("value", p.other().value());
            String sightingKey = "s\u0000" + key + "\u0000" + p.other().sha256() + "\u0000" + p.other().envelopeHash();
            if (s.add(sightingKey)) ((ArrayNode) c.get("sightings")).add(sightingJson(p.other()));
        }
        ObjectNode out = Json.object().put("case", caseId);
        if (channel == null) out.putNull("channel");
        else out.put("channel", channel);
        ArrayNode arr = out.putArray("correlated_cases");
        byCase.values().forEach(arr::add);
        return out;
    }

    private boolean visible(LocalUser user, EvidenceStore.ObservableRow r, Map<String, Audience> cache) {
        return MarkingPolicy.mayRead(user, audiences.of(r.channel(), r.sender(), r.recipients(), cache), r.tlp());
    }

    private static ObjectNode sightingJson(EvidenceStore.ObservableRow r) {
        ObjectNode o = Json.object();
        o.put("type", r.type()).put("value", r.value());
        if (r.channel().isEmpty()) o.putNull("channel");
        else o.put("channel", r.channel());
        o.put("party", r.sender());
        o.put("seen_at", r.seenAt().toString());
        o.put("tlp", r.tlp().wire());
        if (r.caseId() == null) o.putNull("case");
        else o.put("case", r.caseId());
        if (!r.envelopeHash().isEmpty()) o.put("envelope", r.envelopeHash());
        if (!r.sha256().startsWith("taxii:")) o.put("evidence", r.sha256());
        return o;
    }
}
