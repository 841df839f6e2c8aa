package io.parley.bundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.WithheldNotice;
import io.parley.identity.CanonicalBase64;
import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.log.Checkpoint;
import io.parley.log.CosignatureVerifier;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSignature;
import io.parley.log.NoteVerifier;
import io.parley.log.SignedNote;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.Silence;

/**
 * The bundle's silence proofs ({@code silence}): for each party the recomputed timeline says let a deadline pass, either
 * a proof or the exporter's statement that it has none yet. A proof names a stretch {@code first..last} of the party's
 * chain ending with its pin, and the exporter's checkpoint that holds the pin with an inclusion proof. It holds when
 * every link verifies and the stretch proves silence by {@link Silence#judge}, the party's receipt for the request
 * verifies (it was delivered), the checkpoint is one of the exporter's verified checkpoints, and at least one member's
 * witness cosigned it, every such cosignature dated no earlier than the deadline (a witness that saw the pin before the
 * deadline shows the pin is no later message).
 *
 * <p>A party without a proof is reported as "silence not provable", never as silent, and that is no failure; a proof
 * that does not hold, or a claim for a deadline that was not missed, is a forged accusation and fails.
 */
final class SilenceChecks {
    private final Checks checks;
    private final Map<String, VerifierKey> keys;
    private final String exporter;
    /** Members' witness keys by origin (the exporter's own excluded: it cannot witness its own log). */
    private final Map<String, CosignatureVerifier> witnesses = new TreeMap<>();

    SilenceChecks(Checks checks, Map<String, VerifierKey> keys, Collection<PartyCard> cards, String exporter) {
        this.checks = checks;
        this.keys = keys;
        this.exporter = exporter;
        for (PartyCard c : cards) {
            if (c.witnessKey() == null || c.origin().equals(exporter)) continue;
            try {
                witnesses.put(c.origin(), CosignatureVerifier.parse(c.witnessKey()));
            } catch (io.parley.log.FormatException e) {
                // LogChecks reports the unparseable key
            }
        }
    }

    /** Checks every silence entry against the timeline; returns the {@code silent:} and {@code silence not provable:} lines. */
    List<String> check(JsonNode bundle, CaseTimeline t, Map<String, Envelope> byHash, Instant exportedAt, Set<String> delivered) {
        Envelope opening = byHash.get(t.openingHash());
        if (opening == null) return List.of();
        Map<String, Silence.Window> missed = new TreeMap<>();
        for (Silence.Window w : Silence.missed(t, exportedAt)) missed.put(key(w.party(), w.deadline().wire()), w);
        JsonNode entries = bundle.path("silence");
        if (bundle.has("silence")) checks.add("silence order", Ordering.strictlyIncreasing(entries, j -> key(j.path("party").asText(), j.path("deadline").asText())),
                "by party and deadline, no duplicates");
        Map<String, String> lines = new TreeMap<>();
        for (JsonNode entry : entries) {
            String party = entry.path("party").asText();
            String name = "silence of " + party + " (" + entry.path("deadline").asText() + ")";
            Silence.Window w = missed.get(key(party, entry.path("deadline").asText()));
            if (w == null) {
                checks.add(name, false, "the timeline shows no missed deadline of this party for it: a silence claimed where there was none");
                continue;
            }
            if (entry.has("not_provable")) {
                String why = Silence.Blocker.fromCode(entry.path("not_provable").asText()).map(Silence.Blocker::text).orElse("reason not stated");
                lines.put(key(party, w.deadline().wire()), notProvable(t, w, why));
                continue;
            }
            List<String> cosigners = new ArrayList<>();
            Optional<String> fault = proof(entry, t, w, opening, bundle, delivered, cosigners);
            checks.add(name, fault.isEmpty(), fault.orElse("proven: chain seq " + entry.path("first").asLong() + ".." + entry.path("last").asLong()
                    + " holds no response, pinned after the deadline"));
            if (fault.isEmpty()) lines.put(key(party, w.deadline().wire()), silent(t, w, entry, cosigners));
        }
        for (var e : missed.entrySet()) {
            lines.putIfAbsent(e.getKey(), notProvable(t, e.getValue(), "the bundle carries no silence proof for it"));
        }
        return new ArrayList<>(lines.values());
    }

    /** Empty if the proof holds (then {@code cosigners} names the witnesses of the pin), else why not. */
    private Optional<String> proof(JsonNode entry, CaseTimeline t, Silence.Window w, Envelope opening, JsonNode bundle, Set<String> delivered,
                                   List<String> cosigners) {
        String party = w.party();
        long first = entry.path("first").asLong(), last = entry.path("last").asLong();
        VerifierKey key = keys.get(party);
        if (key == null || first < 1 || last < first || last - first > 100_000) return Optional.of("no such member or stretch");
        Map<Long, Silence.Link> links = new TreeMap<>();
        for (JsonNode j : bundle.path("envelopes")) {
            Envelope e = Envelope.fromJson(j);
            if (!e.from().equals(party) || e.seq() < first || e.seq() > last) continue;
            if (!e.channel().equals(t.channel()) || !EnvelopeSigner.verify(e, key)) return Optional.of("envelope seq " + e.seq() + " does not verify");
            links.put(e.seq(), new Silence.Link(e.seq(), e.prev(), e.hash(), e.createdAt(), e));
        }
        for (JsonNode j : bundle.path("withheld")) {
            WithheldNotice n = WithheldNotice.fromJson(j);
            if (!n.from().equals(party) || n.seq() < first || n.seq() > last) continue;
            if (!n.channel().equals(t.channel()) || !n.verify(key)) return Optional.of("withheld notice seq " + n.seq() + " does not verify");
            if (links.containsKey(n.seq())) return Optional.of("seq " + n.seq() + " is both an envelope and a withheld notice");
            links.put(n.seq(), new Silence.Link(n.seq(), n.prev(), n.hash(), Instant.parse(n.created()), null));
        }
        if (links.size() != last - first + 1) return Optional.of("the stretch seq " + first + ".." + last + " has a gap");
        List<Silence.Link> segment = new ArrayList<>(links.values());
        Optional<Silence.Blocker> blocker = Silence.judge(t.caseId(), w, segment);
        if (blocker.isPresent()) return Optional.of(blocker.get().text());
        Silence.Link pin = segment.get(segment.size() - 1);
        if (!pin.hash().equals(entry.path("pin").asText())) return Optional.of("the pin is not the stretch's last envelope");
        if (!delivered.contains(opening.hash() + "\n" + party)) return Optional.of(Silence.Blocker.NO_RECEIPT.text());
        return pinCheckpoint(entry.path("checkpoint"), pin, w, bundle.path("logs").path(exporter).path("checkpoints"), cosigners);
    }

    /**
     * The pin is included in one of the exporter's checkpoints, which members' witnesses cosigned, none before the
     * deadline.
     */
    private Optional<String> pinCheckpoint(JsonNode ref, Silence.Link pin, Silence.Window w, JsonNode checkpoints, List<String> cosigners) {
        long size = ref.path("size").asLong();
        SignedNote note = null;
        Checkpoint cp = null;
        for (JsonNode text : checkpoints) {
            try {
                SignedNote n = SignedNote.parse(text.asText());
                Checkpoint c = Checkpoint.of(n);
                if (c.size() == size && c.origin().equals(exporter)) {
                    note = n;
                    cp = c;
                }
            } catch (Exception e) {
                // LogChecks reports it
            }
        }
        VerifierKey logKey = keys.get(exporter);
        if (note == null || logKey == null || !signedBy(note, NoteVerifier.ed25519(logKey))) {
            return Optional.of("checkpoint " + size + " is not one of the exporter's signed checkpoints");
        }
        Checkpoint covering = cp;
        if (ref.path("index").asLong(-1) < 0 || ref.path("index").asLong() >= covering.size()) return Optional.of("the pin's index is outside checkpoint " + size);
        List<byte[]> proof = new ArrayList<>();
        ref.path("proof").forEach(h -> proof.add(CanonicalBase64.decodeOrThrow(h.asText(), "proof hash")));
        try {
            MerkleProofs.verifyInclusion(LogEntry.leafHash(pin.envelope().canonicalBytes()), ref.path("index").asLong(), covering.size(), proof, covering.rootHash());
        } catch (Exception e) {
            return Optional.of("the pin's inclusion in checkpoint " + size + " does not verify");
        }
        for (var c : io.parley.log.Cosigners.of(note, witnesses).entrySet()) {
            if (c.getValue() < w.due().getEpochSecond()) {
                return Optional.of(Silence.Blocker.EARLY.text() + " (" + c.getKey() + " at " + Instant.ofEpochSecond(c.getValue()) + ")");
            }
            cosigners.add(c.getKey());
        }
        if (cosigners.isEmpty()) return Optional.of(Silence.Blocker.NOT_COSIGNED.text() + " (checkpoint " + size + ")");
        return Optional.empty();
    }

    private static boolean signedBy(SignedNote note, NoteVerifier v) {
        for (NoteSignature s : note.signatures()) {
            if (s.name().equals(v.name()) && s.keyId() == v.keyId() && v.verify(note.textBytes(), s.signature())) return true;
        }
        return false;
    }

    private static String silent(CaseTimeline t, Silence.Window w, JsonNode entry, List<String> by) {
        return "silent: " + w.party() + " sent no " + w.deadline().noun() + " to " + t.caseId() + " between " + w.since() + " and " + w.due()
                + " (chain seq " + entry.path("first").asLong() + ".." + entry.path("last").asLong() + ", checkpoint "
                + entry.path("checkpoint").path("size").asLong() + " cosigned by " + String.join(", ", by) + ")";
    }

    private static String notProvable(CaseTimeline t, Silence.Window w, String why) {
        return "silence not provable: " + w.party() + " missed the " + w.deadline().noun() + " deadline of " + t.caseId() + " (due " + w.due()
                + "): " + why;
    }

    private static String key(String party, String deadline) {
        return party + "\u0000" + deadline;
    }
}
