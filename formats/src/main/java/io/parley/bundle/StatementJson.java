package io.parley.bundle;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.timeline.JointStatement;

/**
 * The JSON view of a case's joint statements: the case JSON's {@code statements[]} and the bundle's
 * {@code statements}, which the verifier recomputes and compares.
 */
public final class StatementJson {
    private StatementJson() {}

    public static ArrayNode of(List<JointStatement> statements) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        statements.forEach(s -> out.add(of(s)));
        return out;
    }

    public static ObjectNode of(JointStatement s) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("proposed_by", s.proposedBy());
        o.put("proposed_at", s.proposedAt().toString());
        o.put("lang", s.lang());
        o.put("text", s.text());
        o.put("text_sha256", s.textSha256());
        ArrayNode tr = o.putArray("translations");
        s.translations().forEach(t -> tr.addObject().put("lang", t.lang()).put("text", t.text()).put("authoritative", false));
        ArrayNode parties = o.putArray("parties");
        s.parties().stream().sorted().forEach(parties::add);
        ArrayNode sigs = o.putArray("signatures");
        // in the order they signed, the proposer first
        s.signers().stream().map(p -> s.signatures().get(p)).forEach(g -> sigs.addObject().put("party", g.party()).put("envelope", g.envelopeHash()).put("at", g.at().toString()));
        ArrayNode pending = o.putArray("pending");
        s.pending().forEach(pending::add);
        o.put("complete", s.complete());
        if (!s.faults().isEmpty()) {
            ArrayNode f = o.putArray("faults");
            s.faults().forEach(f::add);
        }
        return o;
    }

    /** The first words of a statement's text, for one line of a report. */
    public static String opening(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        String[] words = flat.split(" ");
        if (words.length <= 8 && flat.length() <= 60) return flat;
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() + w.length() > 60 || b.length() > 0 && b.toString().split(" ").length >= 8) break;
            if (b.length() > 0) b.append(' ');
            b.append(w);
        }
        if (b.length() == 0) b.append(flat, 0, Math.min(60, flat.length()));
        return b + "…";
    }
}
