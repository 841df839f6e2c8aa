package io.parley.taxii;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.Indicators;
import io.parley.evidence.MarkingPolicy;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.Observable;
import io.parley.json.Json;

/**
 * The STIX objects of one case as a reader may see them: every bundle an envelope of the case carried inline or named
 * by hash (and this node holds), each object judged by {@link MarkingPolicy} in the context it was shared in (the
 * envelope's channel, sender, named recipients and label), so the evidence page shows exactly what the API and TAXII
 * would let the same account read. Objects the reader may not see are only counted.
 */
public final class CaseEvidence {
    private final Evidence evidence;

    public CaseEvidence(Evidence evidence) {
        this.evidence = evidence;
    }

    /**
     * One object as one party shared it in the case.
     *
     * @param tlp its effective TLP in that sharing (a TLP:RED message makes everything it carries RED)
     * @param seenAt when this node recorded the envelope that carried or named it
     * @param withdrawn its sender withdrew the bundle in this case (a signed retract)
     * @param observables what the correlation index holds for it (indicator patterns, observable values)
     */
    public record Item(JsonNode object, Tlp tlp, String sender, String sha256, String envelopeHash, Instant seenAt, boolean withdrawn,
                       List<Observable> observables) {
        public String id() {
            return object.path("id").asText();
        }

        public String type() {
            return object.path("type").asText();
        }

        /** The object says it is revoked (STIX {@code revoked}: its producer, or a retract, withdrew it). */
        public boolean revoked() {
            return object.path("revoked").asBoolean(false);
        }
    }

    /** A bundle of the case the reader may see some of: what its downloads (STIX, MISP, IODEF) are named by. */
    public record Shared(String sha256, String name, String sender, Instant at, boolean inline, int visible, boolean withdrawn) {}

    /** What the reader may see of the case's evidence, and how many objects were held back from them. */
    public record View(List<Item> items, List<Shared> bundles, int withheld) {}

    public View of(LocalUser reader, String channel, String caseId) {
        List<Item> items = new ArrayList<>();
        Map<String, Shared> bundles = new java.util.LinkedHashMap<>();
        Map<String, Audience> cache = new HashMap<>();
        int withheld = 0;
        for (EvidenceStore.DatedLink d : evidence.store().linksOfCase(channel, caseId)) {
            EvidenceStore.Link l = d.link();
            Optional<EvidenceStore.Bundle> b = evidence.store().bundle(l.storedSha256());
            if (b.isEmpty()) continue;
            JsonNode bundle = Json.parse(b.get().json());
            Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
            Audience audience = evidence.audiences().of(l.channel(), l.sender(), l.recipients(), cache);
            boolean withdrawn = evidence.ingest().retractions().withdrawn(l.channel(), l.sender(), l.caseId(), l.refSha256());
            int visible = 0;
            for (JsonNode o : bundle.path("objects")) {
                Tlp tlp = MarkingPolicy.tlpInMessage(o, local, l.tlp());
                if (!MarkingPolicy.mayRead(reader, audience, tlp)) {
                    withheld++;
                    continue;
                }
                visible++;
                ObjectNode single = Json.object();
                single.putArray("objects").add(o);
                items.add(new Item(o, tlp, l.sender(), l.storedSha256(), l.envelopeHash(), d.at(), withdrawn, Indicators.extract(single)));
            }
            if (visible > 0) {
                Shared prior = bundles.get(l.storedSha256());
                if (prior == null) {
                    bundles.put(l.storedSha256(), new Shared(l.storedSha256(), l.name(), l.sender(), d.at(), l.inline(), visible, withdrawn));
                } else if (prior.withdrawn() && !withdrawn) {
                    // shared again in the case and not withdrawn there: the downloads serve it
                    bundles.put(l.storedSha256(), new Shared(prior.sha256(), prior.name(), prior.sender(), prior.at(), prior.inline(), prior.visible(), false));
                }
            }
        }
        return new View(items, List.copyOf(bundles.values()), withheld);
    }
}
