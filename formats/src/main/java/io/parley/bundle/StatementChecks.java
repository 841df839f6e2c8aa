package io.parley.bundle;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.json.Json;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.JointStatement;

/**
 * The joint statements of a bundle's case, recomputed from its verified envelopes ({@link JointStatement}) and
 * compared with the exporter's {@code statements}; one line per statement says who co-signed it and who has not.
 * Every envelope counted here has already passed the signature, chain and log checks, so a statement text changed in
 * the bundle, or a co-signature by someone the charter does not name, fails there; a co-signature that names a
 * different text is reported here, counted for no one, and does not fail the bundle.
 */
final class StatementChecks {
    private final Checks checks;

    StatementChecks(Checks checks) {
        this.checks = checks;
    }

    void check(JsonNode bundle, CaseTimeline t, Charter charter, Iterable<Envelope> envelopes) {
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (Envelope e : envelopes) if (t.caseId().equals(e.caseId())) items.add(new CaseTimeline.Item(e, e.hash()));
        List<JointStatement> statements = JointStatement.of(t, items, charter);
        JsonNode claimed = bundle.has("statements") ? bundle.get("statements") : Json.MAPPER.createArrayNode(); // bundles from before statements
        if (statements.isEmpty() && claimed.isEmpty()) return;
        boolean same = StatementJson.of(statements).equals(claimed);
        checks.add("statements", same, same ? statements.size() + " recomputed from the signed envelopes; they match the exporter's"
                : "the statements recomputed from the envelopes differ from the bundle's");
        for (JointStatement s : statements) {
            String line = "\"" + StatementJson.opening(s.text()) + "\" co-signed by " + String.join(", ", s.signers())
                    + (s.complete() ? " (complete)" : " (pending: " + String.join(", ", s.pending()) + ")") + " [" + s.lang() + ", " + Checks.abbreviate(s.id()) + "]";
            // A contradicting co-signature is the member's own signed word against itself: a finding about that
            // member, counted for no one, not a fault of the bundle (else any member could make every bundle of a
            // case it is party to unverifiable by signing one).
            checks.add("statement", true, s.faults().isEmpty() ? line : line + "; counted for no one: " + String.join("; ", s.faults()));
        }
    }
}
