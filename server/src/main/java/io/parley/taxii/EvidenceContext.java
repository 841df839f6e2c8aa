package io.parley.taxii;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy;

/**
 * One context a bundle is held in, and how its unmarked objects read there. A bundle is held in one or more: this
 * node's own material (uploaded or imported here: the own-sharing collection, {@code envelopeHash} ""), and each
 * envelope that carried it inline or named it by hash (the channel's collection). The same object may be visible in
 * one context and not in another (e.g. unmarked objects take the envelope's label); a local user sees an object of a
 * bundle when some context lets them.
 */
public record EvidenceContext(Audience audience, Tlp unmarked, String envelopeHash, String caseId) {
    public EvidenceContext {
        envelopeHash = envelopeHash == null ? "" : envelopeHash;
    }

    /**
     * The TLP of {@code object} here: as marked, unmarked objects taking {@link #unmarked}; in a message, everything a
     * TLP:RED message carries is RED ({@link MarkingPolicy#tlpInMessage}). {@code local}: the bundle's own marking
     * definitions.
     */
    Tlp tlpOf(JsonNode object, Map<String, Tlp> local) {
        return envelopeHash.isEmpty() ? MarkingPolicy.tlpOf(object, local, unmarked) : MarkingPolicy.tlpInMessage(object, local, unmarked);
    }
}
