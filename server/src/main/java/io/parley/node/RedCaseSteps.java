package io.parley.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.store.EnvelopeStore;
import io.parley.store.StoredEnvelope;

/**
 * A TLP:RED case stays among its parties: its opener and the recipients its opening names. Every other member holds
 * only the opener's withheld notice, which carries no case id, kind or content. So every later step we write in such
 * a case (ack, answer, update, escalation, pong, close...) is RED and names only parties of the case, whichever route
 * writes it; a step under a lower label, or addressed to anyone else, would hand the case's id and our part of it to
 * members the opener kept out. {@link io.parley.cases.CaseBook} addresses automatic steps with {@link #parties}.
 */
public final class RedCaseSteps implements OutgoingCheck {
    private final EnvelopeStore envelopes;

    RedCaseSteps(EnvelopeStore envelopes) {
        this.envelopes = envelopes;
    }

    /**
     * The parties of case {@code caseId} of {@code channel} when it is TLP:RED: its opener and the named recipients of
     * its RED opening(s) held here; empty when no RED opening of the case is held here.
     */
    public Optional<Set<String>> parties(String channel, String caseId) {
        Set<String> out = new TreeSet<>();
        for (StoredEnvelope s : envelopes.inCase(channel, caseId)) {
            Envelope e = s.envelope();
            // only the opener can make an opening of its case (the acceptor binds opening ids to their sender)
            if (!CaseIds.opens(e.kind()) || e.tlp() != Tlp.RED || !CaseIds.boundTo(caseId, e.from())) continue;
            out.add(e.from());
            JsonNode named = e.body().get("recipients");
            if (named != null && named.isArray()) named.forEach(r -> out.add(r.asText()));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    @Override
    public List<Fault> faults(Composer.Draft draft) {
        if (draft.caseId() == null) return List.of();
        Optional<Set<String>> parties = parties(draft.channel(), draft.caseId());
        if (parties.isEmpty()) return List.of();
        List<Fault> out = new ArrayList<>();
        if (draft.tlp() != Tlp.RED) {
            out.add(new Fault("/tlp", "case " + draft.caseId() + " is TLP:RED among " + parties.get() + "; its steps are TLP:RED too"));
            return out;
        }
        JsonNode named = draft.body() == null ? null : draft.body().get("recipients");
        if (named == null || !named.isArray()) return out; // the Composer refuses RED without named recipients itself
        for (int i = 0; i < named.size(); i++) {
            if (!parties.get().contains(named.get(i).asText())) {
                out.add(new Fault("/body/recipients/" + i, named.get(i).asText() + " is not a party of TLP:RED case " + draft.caseId()
                        + " (" + String.join(", ", parties.get()) + "); its steps go only to them"));
            }
        }
        return out;
    }

    @Override
    public String code() {
        return "red-case-audience";
    }
}
