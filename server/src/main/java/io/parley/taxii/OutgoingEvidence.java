package io.parley.taxii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.node.Composer;
import io.parley.node.OutgoingCheck;
import io.parley.store.UserStore;

/**
 * The evidence and marking rules of every envelope this node writes ({@link EvidenceService#checkOutgoing}), run by
 * {@link Composer} before signing, so no route (API messages, cases and case actions, web forms, pings, escalations,
 * the demo) can send evidence around them.
 *
 * <p>Rules that depend on who asks (a referenced bundle must be readable in full by its sender) are judged for the
 * draft's author; the node's own automatic envelopes have no author and get the least privilege: no admin role, no
 * RED grants.
 */
public final class OutgoingEvidence implements OutgoingCheck {
    private final EvidenceService evidence;
    private final UserStore users;

    public OutgoingEvidence(EvidenceService evidence, UserStore users) {
        this.evidence = evidence;
        this.users = users;
    }

    @Override
    public List<Fault> faults(Composer.Draft draft) {
        if (draft.body() == null) return List.of();
        List<Fault> out = new ArrayList<>();
        for (EvidenceException.Fault f : evidence.checkOutgoing(author(draft.author()), draft.channel(), draft.tlp(), draft.body())) {
            out.add(new Fault(f.pointer(), f.detail()));
        }
        return out;
    }

    @Override
    public String code() {
        return "evidence-refused";
    }

    private LocalUser author(String username) {
        if (username != null) {
            var user = users.find(username);
            if (user.isPresent()) return evidence.requester(user.get().username(), user.get().role());
        }
        return new LocalUser(username == null ? "(node)" : username, evidence.self(), false, Set.of());
    }
}
