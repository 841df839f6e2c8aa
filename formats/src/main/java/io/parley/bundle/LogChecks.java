package io.parley.bundle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.identity.CanonicalBase64;
import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.log.Checkpoint;
import io.parley.log.CosignatureVerifier;
import io.parley.log.FormatException;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSignature;
import io.parley.log.NoteVerifier;
import io.parley.log.Rfc6962;
import io.parley.log.SignedNote;
import io.parley.log.TlogProof;
import io.parley.receipt.ReceiptVerifier;

/**
 * What the transparency logs in the bundle prove: the exporter's signed checkpoints, that its log only grew between
 * them, that every envelope (or withheld envelope's hash) is included, and the recipients' receipts. Every signature
 * line in the log's name or a member witness's name must verify; lines by witnesses outside the channel are ignored.
 */
final class LogChecks {
    private final Checks checks;
    private final Map<String, VerifierKey> keys;
    /** Members' witness keys by origin, from their verified party cards. */
    private final Map<String, CosignatureVerifier> witnesses = new HashMap<>();

    LogChecks(Checks checks, Map<String, VerifierKey> keys, Collection<PartyCard> cards) {
        this.checks = checks;
        this.keys = keys;
        for (PartyCard c : cards) {
            if (c.witnessKey() == null) continue;
            try {
                witnesses.put(c.origin(), CosignatureVerifier.parse(c.witnessKey()));
            } catch (FormatException e) {
                checks.add("witness key of " + c.origin(), false, "unparseable");
            }
        }
    }

    /** The exporter's checkpoints that verify, by tree size. */
    Map<Long, Checkpoint> checkpoints(JsonNode log, String exporter) {
        Map<Long, Checkpoint> checkpoints = new TreeMap<>();
        for (JsonNode n : log.path("checkpoints")) {
            Optional<Checkpoint> cp = checkpoint(n.asText(), exporter);
            cp.ifPresent(c -> checkpoints.put(c.size(), c));
        }
        checks.add("checkpoints of " + exporter, !checkpoints.isEmpty() && checkpoints.size() == log.path("checkpoints").size(),
                checkpoints.size() + " checkpoint(s) signed by " + exporter);
        return checkpoints;
    }

    /** Every consistency proof verifies, and one links each checkpoint to the next larger one. */
    void consistency(JsonNode log, Map<Long, Checkpoint> checkpoints) {
        for (JsonNode c : log.path("consistency")) {
            long old = c.path("old").asLong(), nu = c.path("new").asLong();
            Checkpoint a = checkpoints.get(old), z = checkpoints.get(nu);
            boolean ok = a != null && z != null && proves(() -> MerkleProofs.verifyConsistency(old, nu, a.rootHash(), z.rootHash(), hashes(c.path("proof"))));
            checks.add("consistency " + old + " -> " + nu, ok, ok ? "the log only grew between these checkpoints" : "consistency proof does not verify");
        }
        List<Long> sizes = new ArrayList<>(checkpoints.keySet());
        for (int i = 1; i < sizes.size(); i++) {
            long old = sizes.get(i - 1), nu = sizes.get(i);
            boolean proven = false;
            for (JsonNode c : log.path("consistency")) proven |= c.path("old").asLong() == old && c.path("new").asLong() == nu;
            if (!proven) checks.add("consistency " + old + " -> " + nu, false, "no consistency proof between these checkpoints");
        }
    }

    /** Every envelope and every withheld envelope's hash is proven included in one of the checkpoints. */
    void inclusions(JsonNode log, String exporter, Map<Long, Checkpoint> checkpoints, Map<String, Envelope> byHash, Set<String> noticeHashes) {
        checks.add("inclusion order", Ordering.strictlyIncreasing(log.path("inclusions"), j -> String.format("%020d", j.path("index").asLong())), "by log index");
        Set<String> logged = new HashSet<>();
        for (JsonNode inc : log.path("inclusions")) {
            String h = inc.path("envelope").asText();
            Envelope e = byHash.get(h);
            Checkpoint cp = checkpoints.get(inc.path("size").asLong());
            // an envelope's entry is its commitment (LogEntry); a withheld one's is its hash, all the exporter holds of it
            byte[] leaf = e != null ? LogEntry.leafHash(e.canonicalBytes()) : noticeHashes.contains(h) ? Rfc6962.leafHash(HexFormat.of().parseHex(h)) : null;
            boolean ok = leaf != null && cp != null && proves(() -> MerkleProofs.verifyInclusion(leaf,
                    inc.path("index").asLong(), cp.size(), hashes(inc.path("proof")), cp.rootHash()));
            if (ok) logged.add(h);
            else checks.add("inclusion of " + Checks.abbreviate(h), false, leaf == null ? "proof for an envelope not in the bundle" : "inclusion proof does not verify");
        }
        boolean allLogged = logged.containsAll(byHash.keySet()) && logged.containsAll(noticeHashes);
        checks.add("inclusion in " + exporter + "'s log", allLogged, logged.size() + " of " + (byHash.size() + noticeHashes.size())
                + " envelopes proven in a signed checkpoint");
    }

    /**
     * Each receipt proves that a recipient's log includes one of the exporter's envelopes; returns those that do, as
     * {@code envelope hash + "\n" + recipient}.
     */
    Set<String> receipts(JsonNode receipts, String exporter, Map<String, Envelope> byHash) {
        Set<String> delivered = new HashSet<>();
        checks.add("receipt order", Ordering.strictlyIncreasing(receipts, j -> j.path("envelope").asText() + "\n" + j.path("log").asText()), "by envelope and recipient");
        int verified = 0, total = 0;
        for (JsonNode r : receipts) {
            total++;
            String h = r.path("envelope").asText();
            String log = r.path("log").asText();
            try {
                receipt(byHash.get(h), h, exporter, log, r.path("tlog_proof").asText());
                verified++;
                delivered.add(h + "\n" + log);
            } catch (Exception ex) {
                checks.add("receipt from " + log + " for " + Checks.abbreviate(h), false, ex.getMessage());
            }
        }
        checks.add("receipts", verified == total, verified + " of " + total + " receipts prove the recipient logged the envelope");
        return delivered;
    }

    private void receipt(Envelope e, String hash, String exporter, String log, String tlogProof) throws Exception {
        VerifierKey logKey = keys.get(log);
        if (e == null || logKey == null || !e.from().equals(exporter)) throw new ReceiptVerifier.InvalidReceipt("receipt for an unknown envelope or log", null);
        TlogProof.Verified verified;
        try {
            verified = ReceiptVerifier.verify(e.canonicalBytes(), tlogProof, logKey, witnesses.values(), 0);
        } catch (ReceiptVerifier.InvalidReceipt asEnvelope) {
            // a member a TLP:RED envelope was withheld from logged its hash: that commits it to the envelope too
            if (e.tlp() != Tlp.RED) throw asEnvelope;
            verified = ReceiptVerifier.verifyCommitment(HexFormat.of().parseHex(hash), tlogProof, logKey, witnesses.values(), 0);
        }
        requireKnownSignatures(verified.checkpoint(), SignedNote.parse(TlogProof.parse(tlogProof).checkpoint().encode()), log, logKey);
    }

    /** Parses and verifies a checkpoint note: the log's signature, and every other line a valid member cosignature. */
    private Optional<Checkpoint> checkpoint(String text, String origin) {
        try {
            SignedNote note = SignedNote.parse(text);
            Checkpoint cp = Checkpoint.of(note);
            requireKnownSignatures(cp, note, origin, keys.get(origin));
            return Optional.of(cp);
        } catch (Exception e) {
            checks.add("checkpoint of " + origin, false, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Every signature line under a member's name (its origin, or its witness key's name) must verify: a forged line in
     * a member's name fails. Lines under other names are cosignatures by witnesses outside the channel (a node's peers
     * in other channels witness its log too); as C2SP signed-note prescribes for unknown keys they are ignored, and
     * counted for no one.
     */
    private void requireKnownSignatures(Checkpoint cp, SignedNote note, String origin, VerifierKey logKey) throws Exception {
        if (!cp.origin().equals(origin) || logKey == null) throw new IllegalArgumentException("checkpoint is not of " + origin + "'s log");
        List<NoteVerifier> known = new ArrayList<>();
        known.add(NoteVerifier.ed25519(logKey));
        known.addAll(witnesses.values());
        Set<String> memberNames = new HashSet<>();
        known.forEach(k -> memberNames.add(k.name()));
        keys.values().forEach(k -> memberNames.add(k.name()));
        List<NoteSignature> valid = note.verify(known);
        long inMembersNames = note.signatures().stream().filter(s -> memberNames.contains(s.name())).count();
        if (valid.size() != inMembersNames) throw new IllegalArgumentException("checkpoint carries a signature in a member's name that does not verify");
        long cosigners = valid.stream().filter(s -> s.keyId() != logKey.keyIdInt() || !s.name().equals(logKey.name())).count();
        long outside = note.signatures().size() - inMembersNames;
        checks.add("checkpoint " + cp.size() + " of " + origin, true, "signed by the log" + (cosigners > 0 ? ", cosigned by " + cosigners + " member witness(es)" : "")
                + (outside > 0 ? "; " + outside + " cosignature(s) by witnesses outside the channel, not checked" : ""));
    }

    private static List<byte[]> hashes(JsonNode a) {
        List<byte[]> out = new ArrayList<>();
        a.forEach(h -> out.add(CanonicalBase64.decodeOrThrow(h.asText(), "proof hash")));
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
}
