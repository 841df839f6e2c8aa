package io.parley.cases;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.Silence;

/**
 * Pins the chain of a party that let a deadline of one of our cases pass, so that the case bundle can prove its silence
 * ({@link io.parley.timeline.Silence}): when the deadline passes and the party's chain on the channel holds nothing it
 * signed after the deadline, this node sends it an automatic ping, and the party's node answers with an automatic pong,
 * signed after the deadline, which ends the stretch of its chain the bundle shows. Any later message of the party serves
 * as well; the ping only makes sure one comes while its node is up, whoever is on duty.
 *
 * <p>The pin ping carries no case id, so neither it nor its pong is a step of any case: the pong never counts as the
 * party's acknowledgement of the case, no pin opens a case of its own, and no report counts it. Its body says what it
 * pins: {@code {"mode":"auto","to":party,"pins":case,"deadline":"ack"|"answer"}}; it goes out under the case's TLP, so
 * the case id reaches no one who may not know it (a TLP:RED case's pin names only the party as recipient).
 *
 * <p>One ping per case, deadline and party: each is claimed in {@code silence_pins} before it is signed, so a restart or
 * a second instance on the same database never sends another. The other side answers only pins addressed to it.
 */
public final class SilencePins {
    private static final Logger LOG = LoggerFactory.getLogger(SilencePins.class);

    private final Node node;

    public SilencePins(Node node) {
        this.node = node;
        node.onAccepted(this::accepted);
    }

    /** The pins this node owes case {@code t}, if it opened it, as of {@code now}; returns how many it sent. */
    public int pin(CaseTimeline t, Charter charter, Instant now) {
        if (!t.openedBy().equals(node.origin())) return 0;
        int sent = 0;
        for (Silence.Window w : Silence.missed(t, now)) {
            if (charter.member(w.party()).isEmpty() || pinnedAlready(t.channel(), w)) continue;
            if (!claim(t, w, now)) continue;
            ObjectNode body = Json.object().put("mode", "auto").put("to", w.party()).put("pins", t.caseId()).put("deadline", w.deadline().wire());
            if (t.tlp() == Tlp.RED) body.putArray("recipients").add(w.party());
            Verdict v = node.composer().compose(new Composer.Draft(t.channel(), Kind.PING, null, t.priority(), t.tlp(), body));
            if (v instanceof Verdict.Accepted a) {
                node.db().update("UPDATE silence_pins SET envelope_hash = ? WHERE channel = ? AND case_id = ? AND deadline = ? AND party = ?",
                        a.hash(), t.channel(), t.caseId(), w.deadline().wire(), w.party());
                sent++;
            } else {
                LOG.warn("pin ping to {} for case {} was refused: {}", w.party(), t.caseId(), v);
            }
        }
        return sent;
    }

    /** The party's newest message here is one it signed after the deadline: its chain is pinned without asking. */
    private boolean pinnedAlready(String channel, Silence.Window w) {
        return node.envelopes().head(channel, w.party())
                .flatMap(h -> node.envelopes().at(channel, w.party(), h.seq()))
                .map(s -> s.envelope().createdAt().isAfter(w.due()))
                .orElse(false);
    }

    /** True if this call claimed the pin (the row was absent), false if it was claimed before, here or by another instance. */
    private boolean claim(CaseTimeline t, Silence.Window w, Instant now) {
        return node.db().update("INSERT INTO silence_pins (channel, case_id, deadline, party, claimed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                t.channel(), t.caseId(), w.deadline().wire(), w.party(), now.toEpochMilli()) == 1;
    }

    /** A pin ping addressed to us is answered with an automatic pong outside any case, like any automatic ping. */
    private void accepted(StoredEnvelope s) {
        Envelope e = s.envelope();
        if (e.kind() != Kind.PING || e.caseId() != null || e.from().equals(node.origin())) return;
        var body = e.body();
        if (!body.has("pins") || !"auto".equals(body.path("mode").asText()) || !node.origin().equals(body.path("to").asText())) return;
        ObjectNode pong = Json.object().put("ping", s.hash());
        if (e.tlp() == Tlp.RED) pong.putArray("recipients").add(e.from());
        // on another thread: the sender's delivery is waiting for our receipt, not for our pong
        Thread.ofVirtual().start(() -> {
            try {
                node.composer().compose(new Composer.Draft(e.channel(), Kind.PONG, null, e.priority(), e.tlp(), pong));
            } catch (RuntimeException ex) {
                LOG.warn("pong to the pin ping {} failed: {}", s.hash(), ex.toString());
            }
        });
    }

    /** The pin pings this node sent for case {@code caseId} of {@code channel}, oldest first (for the case page). */
    public static List<StoredEnvelope> sentFor(Node node, String channel, String caseId) {
        List<String> hashes = node.db().query("SELECT envelope_hash FROM silence_pins WHERE channel = ? AND case_id = ? AND envelope_hash IS NOT NULL "
                + "ORDER BY claimed_at, deadline, party", rs -> rs.getString(1), channel, caseId);
        return hashes.stream().map(h -> node.envelopes().byHash(h)).flatMap(Optional::stream).toList();
    }

    /** The pins this node claimed, for tests and audits: (case id, deadline, party, envelope hash or null). */
    public List<String[]> claimed(String channel) {
        return node.db().query("SELECT case_id, deadline, party, envelope_hash FROM silence_pins WHERE channel = ? ORDER BY case_id, deadline, party",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}, channel);
    }
}
