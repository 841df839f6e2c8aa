package io.parley.cases;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.evidence.MarkingPolicy;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.CourtesyTranslation;

/**
 * Courtesy translations this node signs: a local account translates the free text of a message of a case into another
 * language, and the node sends the translation as its own signed {@code update} of the case ({@link CourtesyTranslation}
 * has the wire and the rules). Which translations count, and next to which original, is always recomputed from the
 * envelopes by the timeline, never stored.
 *
 * <p>Marking: the translator must be allowed to read the original (a TLP:RED message without a grant cannot be
 * translated by that account), and the translation is marked like the original or the case, whichever is stricter,
 * and addressed, in a RED case or of a RED message, to the parties that hold the original.
 */
public final class CourtesyTranslations {
    private final Node node;
    private final CaseBook cases;

    public CourtesyTranslations(Node node, CaseBook cases) {
        this.node = node;
        this.cases = cases;
    }

    /** What a member asks to translate: the envelope, by hash, the language of the translation, and its text. */
    public record Draft(String of, String lang, String text) {
        /** A draft read from the API's JSON {@code {of, lang, text}}; the rules check each field. */
        public static Draft of(JsonNode req) {
            return new Draft(text(req, "of"), text(req, "lang"), text(req, "text"));
        }

        private static String text(JsonNode req, String field) {
            return req.path(field).isTextual() ? req.get(field).textValue() : null;
        }
    }

    /**
     * Signs and sends the translation {@code draft} of a message of case {@code caseId} of {@code channel} on behalf
     * of {@code author} (who reads as {@code reader}); returns it as the timeline counts it.
     *
     * @throws CaseException 404 for an unknown case or an envelope not in it, 403 when the author may not read the
     *         original, 422 with the code of the {@link CourtesyTranslation.Fault} when the rules refuse the translation
     * @throws EnvelopeFormatException naming the field of an ill-formed draft
     */
    public CourtesyTranslation translate(String channel, String caseId, Draft draft, String author, MarkingPolicy.LocalUser reader) {
        CaseTimeline t = cases.timeline(channel, caseId)
                .orElseThrow(() -> new CaseException(404, "unknown-case", "no case '" + caseId + "' is known in channel " + channel));
        String of = draft.of() == null ? "" : draft.of().strip().toLowerCase(java.util.Locale.ROOT);
        StoredEnvelope original = node.envelopes().inCase(channel, caseId).stream().filter(s -> s.hash().equals(of)).findFirst()
                .orElseThrow(() -> new CaseException(404, "unknown-envelope", "case " + caseId + " in channel " + channel + " has no envelope " + of));
        Envelope o = original.envelope();
        if (!node.messageAccess().mayRead(reader, o)) {
            throw new CaseException(403, "marking-forbids", "envelope " + of + " is marked TLP:" + o.tlp().wire().toUpperCase(java.util.Locale.ROOT)
                    + " and this account may not read it, so it cannot translate it");
        }
        Tlp tlp = o.tlp().exceeds(t.tlp()) ? o.tlp() : t.tlp();
        ObjectNode body = Json.object();
        ObjectNode tr = body.putObject(CourtesyTranslation.MEMBER).put("of", of);
        if (draft.lang() != null) tr.put("lang", draft.lang().strip());
        if (draft.text() != null) tr.put("text", draft.text());
        CourtesyTranslation.checkShape(Kind.UPDATE, caseId, body); // the shape rule, for a clear 400 naming the field
        Optional<CourtesyTranslation.Fault> refused = CourtesyTranslation.refusal(o, caseId, channel, node.origin(), tlp, tr.get("lang").textValue());
        if (refused.isPresent()) {
            String lang = o.body().path("lang").asText("");
            throw new CaseException(422, refused.get().code(), refused.get().detail() + (lang.isEmpty() ? "" : " (the original's language: " + lang + ")"));
        }
        ObjectNode addressed = o.tlp() == Tlp.RED && t.tlp() != Tlp.RED ? holders(o, body) : CaseBook.addressed(node, t, body);
        Verdict v = node.composer().compose(new Composer.Draft(channel, Kind.UPDATE, caseId, t.priority(), tlp, addressed, author));
        String hash = switch (v) {
            case Verdict.Accepted a -> a.hash();
            case Verdict.Duplicate d -> d.hash();
            case Verdict.Rejected r -> throw new CaseException(r.reason().httpStatus(), r.reason().code(), r.reason().detail());
        };
        return cases.timeline(channel, caseId).flatMap(x -> x.events().stream().flatMap(e -> e.translations().stream())
                        .filter(c -> c.hash().equals(hash)).findFirst())
                .orElseThrow(() -> new IllegalStateException("the translation we signed does not count: " + hash));
    }

    /** A RED message in a case that is not RED: its translation goes to those who hold the message, less this node. */
    private ObjectNode holders(Envelope original, ObjectNode body) {
        Set<String> to = new TreeSet<>();
        to.add(original.from());
        original.body().path("recipients").forEach(r -> to.add(r.asText()));
        to.remove(node.origin());
        node.channels().charter(original.channel()).ifPresent(c -> to.removeIf(p -> c.member(p).isEmpty()));
        ObjectNode out = body.deepCopy();
        var arr = out.putArray("recipients");
        to.forEach(arr::add);
        return out;
    }
}
