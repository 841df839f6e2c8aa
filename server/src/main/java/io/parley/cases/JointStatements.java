package io.parley.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Verdict;
import io.parley.evidence.MarkingPolicy;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.JointStatement;

/**
 * Joint statements on this node's cases: proposing one once a case is finished, and co-signing a proposal word for
 * word. Both are signed {@code update} envelopes of the case ({@link JointStatement} has the wire and the rules), so
 * they are chained, delivered, logged and exported like every other step; what a statement is, who signed it and
 * whether it is complete is always recomputed from the envelopes, never stored.
 */
public final class JointStatements {
    private final Node node;
    private final CaseBook cases;

    public JointStatements(Node node, CaseBook cases) {
        this.node = node;
        this.cases = cases;
    }

    /** What a member proposes: the authoritative text in {@code lang}, and courtesy translations. */
    public record Draft(String text, String lang, List<JointStatement.Translation> translations) {}

    /** The statements of case {@code t} as {@code reader} may see them (a TLP:RED case's bodies only with a grant). */
    public List<JointStatement> of(CaseTimeline t, MarkingPolicy.LocalUser reader) {
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (StoredEnvelope s : cases.envelopes(t.channel(), t.caseId(), reader)) items.add(new CaseTimeline.Item(s.envelope(), s.hash()));
        return statements(t.channel(), t.caseId(), items);
    }

    /** All statements of a case, as the node holds them. */
    public List<JointStatement> of(String channel, String caseId) {
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (StoredEnvelope s : node.envelopes().inCase(channel, caseId)) items.add(new CaseTimeline.Item(s.envelope(), s.hash()));
        return statements(channel, caseId, items);
    }

    private List<JointStatement> statements(String channel, String caseId, List<CaseTimeline.Item> items) {
        Optional<Charter> charter = node.channels().charter(channel);
        if (charter.isEmpty()) return List.of();
        return CaseTimeline.of(caseId, items, charter.get()).map(t -> JointStatement.of(t, items, charter.get())).orElse(List.of());
    }

    /** Proposes a statement on the finished case {@code caseId} of {@code channel}; returns it. */
    public JointStatement propose(String channel, String caseId, Draft draft, String author) {
        CaseTimeline t = finishedCase(channel, caseId);
        check(draft);
        ObjectNode propose = Json.object().put("text", draft.text()).put("lang", draft.lang());
        if (!draft.translations().isEmpty()) {
            ArrayNode tr = propose.putArray("translations");
            draft.translations().forEach(x -> tr.addObject().put("lang", x.lang()).put("text", x.text()));
        }
        ObjectNode body = Json.object();
        body.putObject("statement").set("propose", propose);
        String hash = send(t, body, author);
        return find(channel, caseId, hash).orElseThrow(() -> new IllegalStateException("the proposal we signed does not count as a statement: " + hash));
    }

    /** Co-signs, word for word, the statement {@code id} of case {@code caseId}; returns it as it now stands. */
    public JointStatement cosign(String channel, String caseId, String id, String author) {
        CaseTimeline t = finishedCase(channel, caseId);
        JointStatement s = find(channel, caseId, id).orElseThrow(() -> new CaseException(404, "unknown-statement",
                "case " + caseId + " has no statement " + id));
        if (s.proposedBy().equals(node.origin())) throw new CaseException(409, "own-statement", "this node proposed statement " + id + "; its proposal is its signature");
        if (s.signatures().containsKey(node.origin())) throw new CaseException(409, "already-cosigned", "this node has already co-signed statement " + id);
        ObjectNode body = Json.object();
        body.putObject("statement").put("cosign", s.id()).put("text_sha256", s.textSha256());
        send(t, body, author);
        return find(channel, caseId, id).orElseThrow();
    }

    public Optional<JointStatement> find(String channel, String caseId, String id) {
        return of(channel, caseId).stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private CaseTimeline finishedCase(String channel, String caseId) {
        CaseTimeline t = cases.timeline(channel, caseId)
                .orElseThrow(() -> new CaseException(404, "unknown-case", "no case '" + caseId + "' is known in channel " + channel));
        if (!t.state().finished()) {
            throw new CaseException(409, "case-open", "case " + caseId + " is " + t.state().wire() + "; a joint statement is proposed once its opener has closed it");
        }
        if (node.now().isBefore(t.closedAt())) {
            throw new CaseException(409, "close-in-future", "the close of case " + caseId + " is dated " + t.closedAt() + ", after this node's clock");
        }
        Charter charter = node.channels().charter(channel).orElseThrow();
        List<CaseTimeline.Item> items = node.envelopes().inCase(channel, caseId).stream().map(s -> new CaseTimeline.Item(s.envelope(), s.hash())).toList();
        if (!JointStatement.parties(t, items, charter).contains(node.origin())) {
            throw new CaseException(403, "not-a-party", "this node is not a party of case " + caseId + " and cannot sign a statement on it");
        }
        return t;
    }

    private String send(CaseTimeline t, ObjectNode body, String author) {
        Verdict v = node.composer().compose(new Composer.Draft(t.channel(), Kind.UPDATE, t.caseId(), t.priority(), t.tlp(), CaseBook.addressed(node, t, body), author));
        return switch (v) {
            case Verdict.Accepted a -> a.hash();
            case Verdict.Duplicate d -> d.hash();
            case Verdict.Rejected r -> throw new CaseException(r.reason().httpStatus(), r.reason().code(), r.reason().detail());
        };
    }

    /** The rules a proposal's fields follow ({@link JointStatement} ignores a proposal that breaks them). */
    static void check(Draft d) {
        if (d.text() == null || d.text().isBlank()) throw new EnvelopeFormatException("/text", "the statement text is required");
        if (d.text().length() > JointStatement.MAX_TEXT) throw new EnvelopeFormatException("/text", "at most " + JointStatement.MAX_TEXT + " characters");
        if (!JointStatement.validLang(d.lang())) throw new EnvelopeFormatException("/lang", "a language tag such as en or ru is required");
        if (d.translations().size() > JointStatement.MAX_TRANSLATIONS) {
            throw new EnvelopeFormatException("/translations", "at most " + JointStatement.MAX_TRANSLATIONS + " translations");
        }
        for (int i = 0; i < d.translations().size(); i++) {
            var x = d.translations().get(i);
            if (!JointStatement.validLang(x.lang())) throw new EnvelopeFormatException("/translations/" + i + "/lang", "a language tag such as en or ru is required");
            if (x.text() == null || x.text().length() > JointStatement.MAX_TEXT) {
                throw new EnvelopeFormatException("/translations/" + i + "/text", "a text of at most " + JointStatement.MAX_TEXT + " characters is required");
            }
        }
    }

    /** A draft read from the API's JSON: {@code text}, {@code lang}, optional {@code translations[{lang, text}]}. */
    public static Draft draft(JsonNode req) {
        List<JointStatement.Translation> translations = new ArrayList<>();
        JsonNode ts = req.get("translations");
        if (ts != null && !ts.isNull()) {
            if (!ts.isArray()) throw new EnvelopeFormatException("/translations", "translations must be an array of {lang, text}");
            for (JsonNode x : ts) translations.add(new JointStatement.Translation(x.path("lang").isTextual() ? x.get("lang").textValue() : null,
                    x.path("text").isTextual() ? x.get("text").textValue() : null));
        }
        return new Draft(req.path("text").isTextual() ? req.get("text").textValue() : null, req.path("lang").isTextual() ? req.get("lang").textValue() : null, translations);
    }
}
