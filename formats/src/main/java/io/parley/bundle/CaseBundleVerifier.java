package io.parley.bundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.timeline.CaseTimeline;
import io.parley.charter.Charter;
import io.parley.charter.CharterAction;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Tlp;
import io.parley.envelope.WithheldNotice;
import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.log.Checkpoint;
import io.parley.log.CosignatureVerifier;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSignature;
import io.parley.log.NoteVerifier;
import io.parley.log.LogEntry;
import io.parley.log.Rfc6962;
import io.parley.log.SignedNote;
import io.parley.log.TlogProof;
import io.parley.receipt.ReceiptVerifier;

/**
 * Checks a case bundle offline: no network, no database, only the bundle. Each check is reported; the bundle holds
 * only if every check holds. Keys come from the party cards in the bundle; a reader should compare their fingerprints
 * (printed) with the parties out of band.
 */
public final class CaseBundleVerifier {

    /** The value of a case bundle's {@code format} field, written by the exporter and required here. */
    public static final String FORMAT = "parley-case-bundle/v1";

    /** One check and its outcome. */
    public record Check(String name, boolean ok, String detail) {}

    /** All checks, plus the recomputed timeline when the envelopes allowed computing one. */
    public record Report(List<Check> checks, CaseTimeline timeline, Instant evaluatedAt) {
        public boolean valid() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
        }
    }

    private final List<Check> checks = new ArrayList<>();

    private CaseBundleVerifier() {}

    public static Report verify(JsonNode bundle) {
        return new CaseBundleVerifier().run(bundle);
    }

    private void check(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, detail));
    }

    private Report run(JsonNode b) {
        try {
            return runChecked(b);
        } catch (RuntimeException e) {
            check("bundle structure", false, "cannot read the bundle: " + e.getMessage());
            return new Report(checks, null, null);
        }
    }

    private Report runChecked(JsonNode b) {
        if (!b.isObject() || !FORMAT.equals(b.path("format").asText())) {
            check("format", false, "not a " + FORMAT + " bundle");
            return new Report(checks, null, null);
        }
        String caseId = b.path("case").asText();
        String channel = b.path("channel").asText();
        Instant exportedAt = Instant.parse(b.path("exported_at").asText());

        // 1. party cards
        Map<String, PartyCard> cards = new TreeMap<>();
        for (JsonNode c : b.path("parties")) {
            PartyCard card = PartyCard.fromJson(c);
            boolean ok = card.verifies();
            check("party card " + card.origin(), ok, ok ? "self-signed by " + card.fingerprint() + " (compare out of band)" : "card signature does not verify");
            if (ok) cards.put(card.origin(), card);
        }

        // 2. charter and member keys
        Charter charter = Charter.fromJson(b.path("charter"));
        String charterHash = charter.hash();
        check("charter", charter.channel().equals(channel), "channel " + charter.channel() + ", " + charter.members().size() + " members, level "
                + charter.level().wire() + ", TLP ceiling " + charter.tlpCeiling().wire() + ", hash " + charterHash);
        Map<String, VerifierKey> keys = new LinkedHashMap<>();
        for (Charter.Member m : charter.members()) {
            PartyCard card = cards.get(m.origin());
            VerifierKey key = m.key();
            if (card == null) {
                check("member " + m.origin(), false, "no verified party card for this member");
            } else if (card.verifierKey().equals(m.key())) {
                check("member " + m.origin(), true, "card key matches the charter");
            } else if (card.rotatedFrom(m.key())) {
                key = card.verifierKey();
                check("member " + m.origin(), true, "key rotated from the charter key, hand-over signature verifies");
            } else {
                check("member " + m.origin(), false, "card key is neither the charter key nor handed over by it");
            }
            keys.put(m.origin(), key);
        }

        // 3. the exporter's signature over the whole bundle
        String exporter = b.path("exported_by").asText();
        ObjectNode unsigned = ((ObjectNode) b).deepCopy();
        unsigned.remove("sig");
        boolean bundleSig = cards.containsKey(exporter) && verifySig(cards.get(exporter).verifierKey(), Jcs.canonicalize(unsigned), b.path("sig").asText());
        check("bundle signature", bundleSig, bundleSig ? "signed by the exporter " + exporter : "the bundle is not signed by " + exporter + " as exported");

        // 4. charter signatures by every member
        Set<String> charterSigners = new HashSet<>();
        Map<String, Envelope> byHash = new LinkedHashMap<>();
        for (JsonNode j : b.path("charter_envelopes")) {
            Envelope e = Envelope.fromJson(j);
            VerifierKey k = keys.get(e.from());
            boolean ok = k != null && EnvelopeSigner.verify(e, k) && e.channel().equals(channel) && CharterAction.signs(e, charterHash);
            check("charter signature of " + e.from(), ok, ok ? "signs charter " + charterHash.substring(0, 16) + "..." : "does not verify or signs other terms");
            if (ok) charterSigners.add(e.from());
            byHash.put(e.hash(), e);
        }
        check("charter signature order", ordered(b.path("charter_envelopes"), j -> j.path("from").asText() + "\u0000" + String.format("%020d", j.path("seq").asLong())),
                "by member and seq, as the format prescribes");
        boolean allSigned = charter.members().stream().allMatch(m -> charterSigners.contains(m.origin()));
        check("charter signed by all members", allSigned, allSigned ? "every member signed the terms in force" : "signatures missing from " + missing(charter, charterSigners));

        // 5. envelopes: signatures, membership, TLP, chains
        Map<String, List<Envelope>> bySender = new TreeMap<>();
        int sigOk = 0, total = 0;
        String previousKey = null;
        boolean ordered = true;
        for (JsonNode j : b.path("envelopes")) {
            Envelope e = Envelope.fromJson(j);
            total++;
            VerifierKey k = keys.get(e.from());
            boolean ok = k != null && e.channel().equals(channel) && EnvelopeSigner.verify(e, k) && !e.tlp().exceeds(charter.tlpCeiling());
            if (ok) sigOk++;
            else check("envelope " + e.from() + "#" + e.seq(), false, "signature, membership, channel or TLP does not hold");
            String orderKey = e.from() + "\u0000" + String.format("%020d", e.seq());
            if (previousKey != null && orderKey.compareTo(previousKey) <= 0) ordered = false;
            previousKey = orderKey;
            bySender.computeIfAbsent(e.from(), x -> new ArrayList<>()).add(e);
            byHash.put(e.hash(), e);
        }
        check("envelope signatures", sigOk == total && total > 0, sigOk + " of " + total + " envelopes verify under their senders' charter keys");
        check("envelope order", ordered, ordered ? "by sender and seq, no duplicates" : "envelopes are out of order or repeated");
        // TLP:RED envelopes withheld from the exporter: the senders' signed notices stand in their chains' places
        Map<String, List<ChainLink>> links = new TreeMap<>();
        for (var entry : bySender.entrySet()) {
            for (Envelope e : entry.getValue()) links.computeIfAbsent(entry.getKey(), x -> new ArrayList<>()).add(new ChainLink(e.seq(), e.prev(), e.hash()));
        }
        Set<String> noticeHashes = new HashSet<>();
        String previousNotice = null;
        boolean noticesOrdered = true;
        for (JsonNode j : b.path("withheld")) {
            WithheldNotice n;
            try {
                n = WithheldNotice.fromJson(j);
            } catch (io.parley.envelope.EnvelopeFormatException ex) {
                check("withheld notice", false, "malformed: " + ex.getMessage());
                continue;
            }
            VerifierKey k = keys.get(n.from());
            boolean ok = k != null && n.channel().equals(channel) && n.verify(k) && !Tlp.RED.exceeds(charter.tlpCeiling());
            check("withheld notice " + n.from() + "#" + n.seq(), ok, ok ? "TLP:RED envelope " + abbreviate(n.hash()) + " withheld from the exporter, signed by its sender"
                    : "signature, membership, channel or TLP does not hold");
            String orderKey = n.from() + "\u0000" + String.format("%020d", n.seq());
            if (previousNotice != null && orderKey.compareTo(previousNotice) <= 0) noticesOrdered = false;
            previousNotice = orderKey;
            if (!ok) continue;
            noticeHashes.add(n.hash());
            links.computeIfAbsent(n.from(), x -> new ArrayList<>()).add(new ChainLink(n.seq(), n.prev(), n.hash()));
        }
        if (b.has("withheld")) check("withheld notice order", noticesOrdered, "by sender and seq, no duplicates");
        Map<String, long[]> segments = new HashMap<>();
        for (JsonNode s : b.path("segments")) segments.put(s.path("from").asText(), new long[] {s.path("first").asLong(), s.path("last").asLong()});
        for (var entry : links.entrySet()) {
            List<ChainLink> chain = new ArrayList<>(entry.getValue());
            chain.sort(java.util.Comparator.comparingLong(ChainLink::seq));
            long[] seg = segments.get(entry.getKey());
            boolean ok = seg != null && chain.get(0).seq() == seg[0] && chain.get(chain.size() - 1).seq() == seg[1];
            String why = ok ? "" : "does not cover the stated segment";
            for (int i = 1; ok && i < chain.size(); i++) {
                if (chain.get(i).seq() != chain.get(i - 1).seq() + 1) {
                    ok = false;
                    why = "gap after seq " + chain.get(i - 1).seq();
                } else if (!chain.get(i - 1).hash().equals(chain.get(i).prev())) {
                    ok = false;
                    why = "seq " + chain.get(i).seq() + " does not link to seq " + chain.get(i - 1).seq();
                }
            }
            check("hash chain of " + entry.getKey(), ok, ok ? "seq " + seg[0] + ".." + seg[1] + " linked by prev hashes" : why);
        }
        check("segments", segments.keySet().equals(bySender.keySet()), "one chain segment per sender in the case");

        // 6. the exporter's log: checkpoints, cosignatures, consistency, inclusion of every envelope
        Map<String, CosignatureVerifier> witnesses = new HashMap<>();
        for (PartyCard c : cards.values()) {
            if (c.witnessKey() == null) continue;
            try {
                witnesses.put(c.origin(), CosignatureVerifier.parse(c.witnessKey()));
            } catch (io.parley.log.FormatException e) {
                check("witness key of " + c.origin(), false, "unparseable");
            }
        }
        JsonNode ownLog = b.path("logs").path(exporter);
        Map<Long, Checkpoint> checkpoints = new TreeMap<>();
        for (JsonNode n : ownLog.path("checkpoints")) {
            Optional<Checkpoint> cp = checkpoint(n.asText(), exporter, keys.get(exporter), witnesses);
            cp.ifPresent(c -> checkpoints.put(c.size(), c));
        }
        check("checkpoints of " + exporter, !checkpoints.isEmpty() && checkpoints.size() == ownLog.path("checkpoints").size(),
                checkpoints.size() + " checkpoint(s) signed by " + exporter);
        for (JsonNode c : ownLog.path("consistency")) {
            long old = c.path("old").asLong(), nu = c.path("new").asLong();
            Checkpoint a = checkpoints.get(old), z = checkpoints.get(nu);
            boolean ok = a != null && z != null && proves(() -> MerkleProofs.verifyConsistency(old, nu, a.rootHash(), z.rootHash(), hashes(c.path("proof"))));
            check("consistency " + old + " -> " + nu, ok, ok ? "the log only grew between these checkpoints" : "consistency proof does not verify");
        }
        if (checkpoints.size() > 1) {
            List<Long> sizes = new ArrayList<>(checkpoints.keySet());
            for (int i = 1; i < sizes.size(); i++) {
                long old = sizes.get(i - 1), nu = sizes.get(i);
                boolean proven = false;
                for (JsonNode c : ownLog.path("consistency")) proven |= c.path("old").asLong() == old && c.path("new").asLong() == nu;
                if (!proven) check("consistency " + old + " -> " + nu, false, "no consistency proof between these checkpoints");
            }
        }
        check("inclusion order", ordered(ownLog.path("inclusions"), j -> String.format("%020d", j.path("index").asLong())), "by log index");
        Set<String> logged = new HashSet<>();
        for (JsonNode inc : ownLog.path("inclusions")) {
            String h = inc.path("envelope").asText();
            Envelope e = byHash.get(h);
            Checkpoint cp = checkpoints.get(inc.path("size").asLong());
            // an envelope's entry is its commitment (LogEntry); a withheld one's is its hash, all the exporter holds of it
            byte[] leaf = e != null ? LogEntry.leafHash(e.canonicalBytes()) : noticeHashes.contains(h) ? Rfc6962.leafHash(java.util.HexFormat.of().parseHex(h)) : null;
            boolean ok = leaf != null && cp != null && proves(() -> MerkleProofs.verifyInclusion(leaf,
                    inc.path("index").asLong(), cp.size(), hashes(inc.path("proof")), cp.rootHash()));
            if (ok) logged.add(h);
            else check("inclusion of " + abbreviate(h), false, leaf == null ? "proof for an envelope not in the bundle" : "inclusion proof does not verify");
        }
        boolean allLogged = logged.containsAll(byHash.keySet()) && logged.containsAll(noticeHashes);
        check("inclusion in " + exporter + "'s log", allLogged, logged.size() + " of " + (byHash.size() + noticeHashes.size())
                + " envelopes proven in a signed checkpoint");

        // 7. receipts from recipients
        check("receipt order", ordered(b.path("receipts"), j -> j.path("envelope").asText() + "\n" + j.path("log").asText()), "by envelope and recipient");
        int receiptsOk = 0, receipts = 0;
        for (JsonNode r : b.path("receipts")) {
            receipts++;
            String h = r.path("envelope").asText();
            String log = r.path("log").asText();
            Envelope e = byHash.get(h);
            VerifierKey logKey = keys.get(log);
            try {
                if (e == null || logKey == null || !e.from().equals(exporter)) throw new ReceiptVerifier.InvalidReceipt("receipt for an unknown envelope or log", null);
                TlogProof.Verified verified;
                try {
                    verified = ReceiptVerifier.verify(e.canonicalBytes(), r.path("tlog_proof").asText(), logKey, witnesses.values(), 0);
                } catch (ReceiptVerifier.InvalidReceipt asEnvelope) {
                    // a member a TLP:RED envelope was withheld from logged its hash: that commits it to the envelope too
                    if (e.tlp() != Tlp.RED) throw asEnvelope;
                    verified = ReceiptVerifier.verifyCommitment(java.util.HexFormat.of().parseHex(h), r.path("tlog_proof").asText(), logKey, witnesses.values(), 0);
                }
                requireKnownSignatures(verified.checkpoint(), SignedNote.parse(io.parley.log.TlogProof.parse(r.path("tlog_proof").asText()).checkpoint().encode()),
                        log, logKey, witnesses);
                receiptsOk++;
            } catch (Exception ex) {
                check("receipt from " + log + " for " + abbreviate(h), false, ex.getMessage());
            }
        }
        check("receipts", receiptsOk == receipts, receiptsOk + " of " + receipts + " receipts prove the recipient logged the envelope");

        // 8. the timeline, recomputed
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (Envelope e : byHash.values()) if (caseId.equals(e.caseId())) items.add(new CaseTimeline.Item(e, e.hash()));
        Optional<CaseTimeline> timeline = CaseTimeline.of(caseId, items, charter);
        // evaluated at the export time, so the statuses (met, missed, pending) must match too
        boolean matches = timeline.isPresent() && b.has("timeline") && TimelineJson.of(timeline.get(), exportedAt).equals(b.path("timeline"));
        check("case timeline", matches, matches ? "recomputed from the envelopes; matches the exporter's, statuses as of " + exportedAt
                : "the recomputed timeline differs from the bundle's");
        timeline.ifPresent(t -> {
            check("acknowledgement deadline", true, t.ackStatus(exportedAt).wire() + " (due " + t.ackDue() + (t.ackedAt() != null ? ", acknowledged " + t.ackedAt() + " by " + t.ackedBy() : ", not acknowledged") + ")");
            if (t.needsAnswer()) {
                check("answer deadline", true, t.answerStatus(exportedAt).wire() + " (due " + t.answerDue() + (t.answeredAt() != null ? ", answered " + t.answeredAt() + " by " + t.answeredBy() : ", not answered") + ")");
            }
        });
        return new Report(checks, timeline.orElse(null), exportedAt);
    }

    /** Parses and verifies a checkpoint note: the log's signature, and every other line a valid member cosignature. */
    private Optional<Checkpoint> checkpoint(String text, String origin, VerifierKey logKey, Map<String, CosignatureVerifier> witnesses) {
        try {
            SignedNote note = SignedNote.parse(text);
            Checkpoint cp = Checkpoint.of(note);
            requireKnownSignatures(cp, note, origin, logKey, witnesses);
            return Optional.of(cp);
        } catch (Exception e) {
            check("checkpoint of " + origin, false, e.getMessage());
            return Optional.empty();
        }
    }

    /** Every signature line must be the log's own or a cosignature by a member's witness key; a forged line fails. */
    private void requireKnownSignatures(Checkpoint cp, SignedNote note, String origin, VerifierKey logKey, Map<String, CosignatureVerifier> witnesses) throws Exception {
        if (!cp.origin().equals(origin) || logKey == null) throw new IllegalArgumentException("checkpoint is not of " + origin + "'s log");
        List<NoteVerifier> known = new ArrayList<>();
        known.add(NoteVerifier.ed25519(logKey));
        known.addAll(witnesses.values());
        List<NoteSignature> valid = note.verify(known);
        if (valid.size() != note.signatures().size()) throw new IllegalArgumentException("checkpoint carries a signature by no member's key");
        long cosigners = valid.stream().filter(s -> s.keyId() != logKey.keyIdInt() || !s.name().equals(logKey.name())).count();
        check("checkpoint " + cp.size() + " of " + origin, true, "signed by the log" + (cosigners > 0 ? ", cosigned by " + cosigners + " witness(es)" : ""));
    }

    /** True if the array is strictly increasing by {@code key}: the format fixes one order, so a reordering is tampering. */
    /** One position of a sender's chain: an envelope, or a withheld one known by its sender's notice. */
    private record ChainLink(long seq, String prev, String hash) {}

    private static boolean ordered(JsonNode array, java.util.function.Function<JsonNode, String> key) {
        String previous = null;
        for (JsonNode j : array) {
            String k = key.apply(j);
            if (previous != null && k.compareTo(previous) <= 0) return false;
            previous = k;
        }
        return true;
    }

    private static String missing(Charter c, Set<String> signers) {
        return c.members().stream().map(Charter.Member::origin).filter(o -> !signers.contains(o)).toList().toString();
    }

    private static boolean verifySig(VerifierKey key, byte[] message, String b64) {
        byte[] sig = io.parley.identity.CanonicalBase64.decode(b64);
        return sig != null && key.verify(message, sig);
    }

    private static List<byte[]> hashes(JsonNode a) {
        List<byte[]> out = new ArrayList<>();
        a.forEach(h -> out.add(io.parley.identity.CanonicalBase64.decodeOrThrow(h.asText(), "proof hash")));
        return out;
    }

    @FunctionalInterface
    private interface ProofCheck {
        void run() throws Exception;
    }

    private static boolean proves(ProofCheck c) {
        try {
            c.run();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String abbreviate(String h) {
        return h.length() > 16 ? h.substring(0, 16) + "..." : h;
    }
}
