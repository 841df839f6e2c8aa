package io.parley.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.envelope.WithheldNotice;
import io.parley.json.Json;
import io.parley.log.CosignatureVerifier;
import io.parley.log.Cosigners;
import io.parley.node.Node;
import io.parley.store.EnvelopeStore;
import io.parley.store.OutboxStore;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.Silence;
import io.parley.transparency.StoredCheckpoint;

/**
 * The silence proofs of a case's bundle ({@code silence}, checked offline by {@code io.parley.bundle.SilenceChecks}):
 * for each party that let a deadline of the case pass, either the stretch of its chain from before the request to its
 * first message signed after the deadline (the pin, usually the pong to {@link io.parley.cases.SilencePins}' ping) and
 * the first checkpoint of our log that holds the pin and that a witness cosigned, or the reason ({@link Silence.Blocker})
 * why this node cannot prove it yet. This node claims a silence only where the offline verifier, running the same rule
 * ({@link Silence#judge}) on the same links, will find it proven.
 */
final class SilenceProofs {
    private SilenceProofs() {}

    /** A missed deadline and what the bundle can say of it. */
    sealed interface Entry permits Proof, NotProvable {
        Silence.Window window();
    }

    /** The stretch {@code first..last} of the party's chain proves its silence; the pin is logged at {@code pinIndex}. */
    record Proof(Silence.Window window, long first, long last, String pin, long pinIndex, long checkpoint) implements Entry {}

    record NotProvable(Silence.Window window, Silence.Blocker why) implements Entry {}

    /** How far back a party's chain is read for a stretch; a longer stretch is reported as a gap rather than read whole. */
    private static final int MAX_LINKS = 10_000;

    /**
     * What the bundle of case {@code t} can say of each missed deadline, as of {@code now}, with checkpoints up to
     * {@code latest}. {@code caseSpans} is each sender's stretch of case envelopes already in the bundle: a proof widens
     * it, and every RED envelope of another conversation in the widened stretch must have its sender's notice.
     */
    static List<Entry> plan(Node node, OutboxStore outbox, CaseTimeline t, Charter charter, Instant now, StoredCheckpoint latest,
                            Set<String> inCase, Map<String, long[]> caseSpans) {
        List<Entry> out = new ArrayList<>();
        for (Silence.Window w : Silence.missed(t, now)) {
            out.add(entry(node, outbox, t, charter, w, latest, inCase, caseSpans.get(w.party())));
        }
        return out;
    }

    private static Entry entry(Node node, OutboxStore outbox, CaseTimeline t, Charter charter, Silence.Window w, StoredCheckpoint latest, Set<String> inCase, long[] caseSpan) {
        List<Silence.Link> segment = new ArrayList<>();
        boolean pinned = false, unexportable = false;
        for (EnvelopeStore.Link l : node.envelopes().links(t.channel(), w.party(), 0, MAX_LINKS)) {
            Silence.Link link = asBundled(node, l, inCase);
            if (link == null) unexportable = true;
            else if (link.created().isBefore(w.since())) {
                segment.clear(); // the stretch begins with the party's last message before the request
                unexportable = false;
            }
            if (link != null) segment.add(link);
            if (link != null && !link.withheld() && link.created().isAfter(w.due())) {
                pinned = true;
                break;
            }
        }
        if (!pinned) return new NotProvable(w, Silence.Blocker.NO_PIN);
        if (unexportable) return new NotProvable(w, Silence.Blocker.WITHHELD);
        Optional<Silence.Blocker> blocker = Silence.judge(t.caseId(), w, segment);
        if (blocker.isPresent()) return new NotProvable(w, blocker.get());
        long first = segment.get(0).seq(), last = segment.get(segment.size() - 1).seq();
        if (caseSpan != null && !exportable(node, t.channel(), w.party(), Math.min(first, caseSpan[0]), Math.max(last, caseSpan[1]), inCase)) {
            return new NotProvable(w, Silence.Blocker.WITHHELD);
        }
        String request = t.openingHash();
        boolean delivered = outbox.forEnvelope(request).stream().anyMatch(s -> s.recipient().equals(w.party()) && s.receipt() != null);
        if (!delivered) return new NotProvable(w, Silence.Blocker.NO_RECEIPT);
        Silence.Link pin = segment.get(segment.size() - 1);
        Optional<Long> index = node.log().store().indexOf(pin.hash()).filter(i -> i < latest.size());
        if (index.isEmpty()) return new NotProvable(w, Silence.Blocker.NOT_COSIGNED);
        Map<String, CosignatureVerifier> witnesses = witnesses(node, charter);
        for (StoredCheckpoint cp : node.log().store().checkpoints(index.get() + 1, 1_000)) {
            if (cp.size() > latest.size()) break;
            Map<String, Long> cosigners = Cosigners.of(node.log().withCosignatures(cp), witnesses);
            if (cosigners.isEmpty()) continue;
            if (cosigners.values().stream().anyMatch(at -> at < w.due().getEpochSecond())) return new NotProvable(w, Silence.Blocker.EARLY);
            return new Proof(w, first, last, pin.hash(), index.get(), cp.size());
        }
        return new NotProvable(w, Silence.Blocker.NOT_COSIGNED);
    }

    /**
     * A chain position as the bundle will carry it: our envelope, or, for a TLP:RED envelope that is not part of the
     * case, its sender's withheld notice (held in its place, or kept with the envelope); null when we hold a RED
     * envelope of another conversation without its sender's notice, which no bundle may carry.
     */
    private static Silence.Link asBundled(Node node, EnvelopeStore.Link l, Set<String> inCase) {
        if (l.withheld()) {
            WithheldNotice n = WithheldNotice.fromJson(Json.parse(l.canonical()));
            return new Silence.Link(n.seq(), n.prev(), n.hash(), Instant.parse(n.created()), null);
        }
        Envelope e = Envelope.fromJson(Json.parse(l.canonical()));
        if (e.tlp() == Tlp.RED && !inCase.contains(l.hash())) {
            return node.envelopes().senderNotice(l.hash()).map(n -> new Silence.Link(e.seq(), e.prev(), l.hash(), e.createdAt(), null)).orElse(null);
        }
        return new Silence.Link(e.seq(), e.prev(), l.hash(), e.createdAt(), e);
    }

    /** Every RED envelope of another conversation in {@code first..last} of the party's chain has its sender's notice here. */
    private static boolean exportable(Node node, String channel, String party, long first, long last, Set<String> inCase) {
        for (EnvelopeStore.Link l : node.envelopes().links(channel, party, first - 1, (int) Math.min(MAX_LINKS, last - first + 1))) {
            if (asBundled(node, l, inCase) == null) return false;
        }
        return true;
    }

    /** The members' witness keys by origin, from the cards this node holds (ours excluded: we do not witness our log). */
    static Map<String, CosignatureVerifier> witnesses(Node node, Charter charter) {
        Map<String, CosignatureVerifier> out = new TreeMap<>();
        for (Charter.Member m : charter.members()) {
            if (m.origin().equals(node.origin())) continue;
            node.knownCard(m.origin()).filter(c -> c.witnessKey() != null).ifPresent(c -> {
                try {
                    out.put(m.origin(), CosignatureVerifier.parse(c.witnessKey()));
                } catch (io.parley.log.FormatException e) {
                    // a card with an unusable witness key: that member's cosignatures prove nothing here
                }
            });
        }
        return out;
    }

    /** The bundle's {@code silence} array: one entry per missed deadline, by party and deadline. */
    static ArrayNode toJson(Node node, List<Entry> entries) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Entry entry : entries) {
            ObjectNode o = a.addObject().put("party", entry.window().party()).put("deadline", entry.window().deadline().wire());
            switch (entry) {
                case NotProvable n -> o.put("not_provable", n.why().code());
                case Proof p -> {
                    o.put("first", p.first()).put("last", p.last()).put("pin", p.pin());
                    ObjectNode cp = o.putObject("checkpoint").put("size", p.checkpoint()).put("index", p.pinIndex());
                    cp.set("proof", CaseBundle.hashes(node.log().inclusionProof(p.pinIndex(), p.checkpoint())));
                }
            }
        }
        return a;
    }
}
