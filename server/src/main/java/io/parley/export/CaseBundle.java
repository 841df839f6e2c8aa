package io.parley.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.bundle.StatementJson;
import io.parley.bundle.TimelineJson;
import io.parley.charter.Charter;
import io.parley.charter.CharterAction;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.identity.PartyCard;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.OutboxStore;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.JointStatement;
import io.parley.transparency.StoredCheckpoint;

/**
 * Builds the evidence bundle of a case (format {@code parley-case-bundle/v1}):
 * <ul>
 * <li>{@code parties}: the members' signed cards (keys, witness keys, rotations);</li>
 * <li>{@code charter} and {@code charter_envelopes}: the terms and every member's signature on them;</li>
 * <li>{@code envelopes}: each sender's chain segment from its first to its last envelope in the case, so hash chains
 * can be checked link by link, except TLP:RED envelopes that are not part of the case;</li>
 * <li>{@code withheld} (only when there are any): for every TLP:RED envelope inside those segments that is not part of
 * the case (whether it was withheld from this node or not), its sender's signed withheld notice, which stands in its
 * chain position (hash, prev) and whose hash this node's log holds. A bundle is made to be handed on, so RED of
 * another conversation never travels in it; a node that lacks a needed notice refuses the export
 * ({@link MissingNotice}) rather than carry the envelope;</li>
 * <li>{@code logs}: for this node's log, its newest (cosigned) checkpoint, the first checkpoint that covered the case
 * and a consistency proof between them, and an inclusion proof of every envelope; for each recipient, the receipts it
 * returned (its signed checkpoint plus an inclusion proof, C2SP tlog-proof);</li>
 * <li>{@code log_times} (only when there are any): the recipients' signed log times of the case's envelopes
 * ({@link io.parley.receipt.LogTime}): this node's for what it received, the recipients' from their receipts for what
 * it sent; an envelope dated beyond the charter's clock skew from its earliest log time counts at that time;</li>
 * <li>{@code silence} (only when a party let a deadline of a case we opened pass): per party and missed deadline, the
 * stretch {@code first..last} of its chain (widening its segment) up to its pin, and the first cosigned checkpoint that
 * holds the pin with the pin's inclusion proof, or {@code not_provable} with the reason ({@link SilenceProofs});</li>
 * <li>{@code timeline}: the case as this node computes it, which the verifier recomputes and compares;</li>
 * <li>{@code statements} (only when there are any): the case's joint statements, proposals and co-signatures
 * ({@link JointStatement}), likewise recomputed and compared; their envelopes are among {@code envelopes} with their
 * inclusion proofs;</li>
 * <li>{@code sig}: the exporter's signature over the RFC 8785 form of everything else.</li>
 * </ul>
 */
public final class CaseBundle {

    private CaseBundle() {}

    /**
     * The bundle would need the sender's signed withheld notice for a TLP:RED envelope outside the case, and this node
     * has none (it received the envelope before senders delivered notices to recipients too).
     */
    public static final class MissingNotice extends RuntimeException {
        public MissingNotice(io.parley.envelope.Envelope e, String hash) {
            super("the case bundle would carry TLP:RED envelope " + e.channel() + "/" + e.from() + "/" + e.seq() + " (" + hash
                    + "), which is not part of the case, and this node holds no withheld notice signed by " + e.from()
                    + " to put in its place; exporting it would hand RED content on");
        }
    }

    /**
     * The first envelope of {@code bundle} that {@code reader} may not read, if any. A bundle is signed envelopes, all
     * content, made to be checked by a third party: it cannot leave out a message's body without failing verification,
     * so a reader who may not read every message in it gets none of it (API and web UI alike).
     */
    public static java.util.Optional<Envelope> unreadable(Node node, io.parley.evidence.MarkingPolicy.LocalUser reader, ObjectNode bundle) {
        for (String member : List.of("envelopes", "charter_envelopes")) {
            for (com.fasterxml.jackson.databind.JsonNode json : bundle.path(member)) {
                Envelope e = Envelope.fromJson(json);
                if (!node.messageAccess().mayRead(reader, e)) return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }

    public static ObjectNode export(Node node, OutboxStore outbox, String channel, String caseId) {
        List<StoredEnvelope> caseEnvelopes = node.envelopes().inCase(channel, caseId);
        if (caseEnvelopes.isEmpty()) throw new IllegalArgumentException("no case '" + caseId + "' is known in channel " + channel);
        Charter charter = node.channels().charter(channel).orElseThrow();
        String charterHash = charter.hash();

        ObjectNode b = Json.object();
        b.put("format", CaseBundleVerifier.FORMAT);
        b.put("case", caseId);
        b.put("channel", channel);
        b.put("exported_by", node.origin());
        java.time.Instant exportedAt = node.now();
        b.put("exported_at", exportedAt.toString());

        ArrayNode parties = b.putArray("parties");
        for (Charter.Member m : charter.members()) node.knownCard(m.origin()).ifPresent(c -> parties.add(c.toJson()));
        b.set("charter", charter.toJson());

        // chain segments per sender, plus the charter envelopes that put these terms in force
        Map<String, StoredEnvelope> included = new LinkedHashMap<>();
        Map<String, long[]> span = new TreeMap<>();
        java.util.Set<String> inCase = new java.util.HashSet<>();
        for (StoredEnvelope s : caseEnvelopes) {
            inCase.add(s.hash());
            span.merge(s.envelope().from(), new long[] {s.envelope().seq(), s.envelope().seq()},
                    (x, y) -> new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
        }
        // a party that let a deadline pass: its chain from before the request to its pin, where this node can prove it
        StoredCheckpoint latest = node.log().latest().orElseThrow(() -> new IllegalStateException("the log has no checkpoint yet"));
        // The case as the verifier will recompute it, with the recipients' signed log times: the silence windows and the
        // bundle's timeline both come from this one timeline, so they cannot disagree on a deadline.
        List<io.parley.receipt.LogTime> logTimes = io.parley.cases.LogTimes.statements(node, caseEnvelopes, true);
        List<CaseTimeline.Item> items = caseEnvelopes.stream().map(s -> new CaseTimeline.Item(s.envelope(), s.hash())).toList();
        java.util.Optional<CaseTimeline> timeline = CaseTimeline.of(caseId, items, charter, io.parley.cases.LogTimes.earliest(logTimes));
        List<SilenceProofs.Entry> silence = timeline.map(t -> silenceProofs(node, outbox, t, charter, exportedAt, latest, inCase, span)).orElse(List.of());
        List<StoredEnvelope> segmentEnvelopes = new ArrayList<>();
        List<io.parley.envelope.WithheldNotice> notices = new ArrayList<>();
        for (var e : span.entrySet()) {
            int count = (int) (e.getValue()[1] - e.getValue()[0] + 1);
            for (StoredEnvelope s : node.envelopes().chain(channel, e.getKey(), e.getValue()[0] - 1, count)) {
                if (s.envelope().tlp() == io.parley.envelope.Tlp.RED && !inCase.contains(s.hash())) {
                    notices.add(noticeFor(node, s));
                    continue;
                }
                included.put(s.hash(), s);
                segmentEnvelopes.add(s);
            }
            for (var link : node.envelopes().links(channel, e.getKey(), e.getValue()[0] - 1, count)) {
                if (link.withheld()) notices.add(io.parley.envelope.WithheldNotice.fromJson(Json.parse(link.canonical())));
            }
        }
        ArrayNode charterEnvelopes = b.putArray("charter_envelopes");
        // members are listed in charter order; within a member, chain order: (from, seq) order when members are sorted
        for (Charter.Member m : charter.members().stream().sorted(java.util.Comparator.comparing(Charter.Member::origin)).toList()) {
            for (StoredEnvelope s : node.envelopes().chain(channel, m.origin(), 0, 10_000)) {
                if (s.envelope().kind() != Kind.CHARTER) continue;
                if (CharterAction.signs(s.envelope(), charterHash)) {
                    charterEnvelopes.add(s.envelope().toJson());
                    included.putIfAbsent(s.hash(), s);
                }
            }
        }
        ArrayNode segments = b.putArray("segments");
        span.forEach((from, r) -> segments.addObject().put("from", from).put("first", r[0]).put("last", r[1]));
        if (!silence.isEmpty()) b.set("silence", SilenceProofs.toJson(node, silence));
        ArrayNode envelopes = b.putArray("envelopes");
        segmentEnvelopes.stream()
                .sorted(java.util.Comparator.comparing((StoredEnvelope s) -> s.envelope().from()).thenComparingLong(s -> s.envelope().seq()))
                .forEach(s -> envelopes.add(s.envelope().toJson()));
        if (!notices.isEmpty()) {
            ArrayNode withheld = b.putArray("withheld");
            notices.stream().sorted(java.util.Comparator.comparing(io.parley.envelope.WithheldNotice::from)
                    .thenComparingLong(io.parley.envelope.WithheldNotice::seq)).forEach(n -> withheld.add(n.toJson()));
        }

        // this node's log: newest checkpoint, first checkpoint covering the case, consistency, inclusion of everything
        ObjectNode logs = b.putObject("logs");
        ObjectNode own = logs.putObject(node.origin());
        long maxIndex = -1, minIndex = Long.MAX_VALUE;
        ArrayNode inclusions = own.putArray("inclusions");
        Map<Long, String> byIndex = new TreeMap<>();
        for (StoredEnvelope s : included.values()) {
            node.log().store().indexOf(s.hash()).filter(i -> i < latest.size()).ifPresent(i -> byIndex.put(i, s.hash()));
        }
        for (var n : notices) node.log().store().indexOf(n.hash()).filter(i -> i < latest.size()).ifPresent(i -> byIndex.put(i, n.hash()));
        for (var e : byIndex.entrySet()) {
            maxIndex = Math.max(maxIndex, e.getKey());
            minIndex = Math.min(minIndex, e.getKey());
            ObjectNode inc = inclusions.addObject().put("envelope", e.getValue()).put("index", e.getKey()).put("size", latest.size());
            inc.set("proof", hashes(node.log().inclusionProof(e.getKey(), latest.size())));
        }
        ArrayNode checkpoints = own.putArray("checkpoints");
        // the first checkpoint that covered the case, each silence proof's pin checkpoint, the newest; each consistent with the next
        java.util.TreeMap<Long, StoredCheckpoint> shown = new java.util.TreeMap<>();
        shown.put(latest.size(), latest);
        if (maxIndex >= 0) node.log().store().firstCheckpointCovering(maxIndex).ifPresent(first -> shown.putIfAbsent(first.size(), first));
        for (SilenceProofs.Entry e : silence) {
            if (e instanceof SilenceProofs.Proof p) node.log().store().checkpoint(p.checkpoint()).ifPresent(cp -> shown.putIfAbsent(cp.size(), cp));
        }
        shown.headMap(latest.size(), true).values().forEach(cp -> checkpoints.add(node.log().withCosignatures(cp).encode()));
        List<Long> sizes = new ArrayList<>(shown.headMap(latest.size(), true).keySet());
        if (sizes.size() > 1) {
            ArrayNode consistency = own.putArray("consistency");
            for (int i = 1; i < sizes.size(); i++) {
                ObjectNode cons = consistency.addObject().put("old", sizes.get(i - 1)).put("new", sizes.get(i));
                cons.set("proof", hashes(node.log().consistencyProof(sizes.get(i - 1), sizes.get(i))));
            }
        }

        // recipients' receipts for our envelopes
        ArrayNode receipts = b.putArray("receipts");
        Map<String, String> receiptByKey = new TreeMap<>(); // "envelope hash \n recipient" order: the format's canonical order
        for (StoredEnvelope s : included.values()) {
            if (!s.envelope().from().equals(node.origin())) continue;
            for (OutboxStore.Status st : outbox.forEnvelope(s.hash())) {
                if (st.receipt() != null) receiptByKey.put(s.hash() + "\n" + st.recipient(), Json.parse(st.receipt()).path("tlog_proof").asText());
            }
        }
        receiptByKey.forEach((k, proof) -> {
            String[] parts = k.split("\n", 2);
            receipts.addObject().put("envelope", parts[0]).put("log", parts[1]).put("tlog_proof", proof);
        });

        // recipients' signed log times: the timeline uses exactly these, and the verifier recomputes it from them
        if (!logTimes.isEmpty()) logTimes.forEach(t -> b.withArray("log_times").add(t.toJson()));
        timeline.ifPresent(t -> b.set("timeline", TimelineJson.of(t, exportedAt)));
        // joint statements: recomputed and compared by the verifier; absent when there are none, as in older bundles
        timeline.map(t -> JointStatement.of(t, items, charter)).filter(s -> !s.isEmpty()).ifPresent(s -> b.set("statements", StatementJson.of(s)));
        byte[] sig = node.key().sign(Jcs.canonicalize(b));
        b.put("sig", Base64.getEncoder().encodeToString(sig));
        return b;
    }

    /** The silence proofs of the case (see {@link SilenceProofs}); they widen {@code span} by each proven stretch. */
    private static List<SilenceProofs.Entry> silenceProofs(Node node, OutboxStore outbox, CaseTimeline t, Charter charter,
                                                         java.time.Instant now, StoredCheckpoint latest, java.util.Set<String> inCase, Map<String, long[]> span) {
        if (!t.openedBy().equals(node.origin())) return List.of();
        List<SilenceProofs.Entry> entries = SilenceProofs.plan(node, outbox, t, charter, now, latest, inCase, span);
        for (SilenceProofs.Entry e : entries) {
            if (e instanceof SilenceProofs.Proof p) {
                span.merge(p.window().party(), new long[] {p.first(), p.last()}, (x, y) -> new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
            }
        }
        return entries;
    }

    /**
     * The sender's signed notice for a RED envelope we hold in full: the one kept with it (ours, signed when sent, or
     * the sender's, delivered to us as a named recipient), else for our own envelope one we sign now (Ed25519 is
     * deterministic: the same notice the other members got).
     */
    private static io.parley.envelope.WithheldNotice noticeFor(Node node, StoredEnvelope s) {
        var kept = node.envelopes().senderNotice(s.hash());
        if (kept.isPresent()) return io.parley.envelope.WithheldNotice.fromJson(Json.parse(kept.get()));
        return node.composer().noticeFor(s.envelope()).orElseThrow(() -> new MissingNotice(s.envelope(), s.hash()));
    }

    static ArrayNode hashes(List<byte[]> proof) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        proof.forEach(h -> a.add(Base64.getEncoder().encodeToString(h)));
        return a;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static List<PartyCard> cards(ObjectNode bundle) {
        List<PartyCard> out = new ArrayList<>();
        bundle.path("parties").forEach(c -> out.add(PartyCard.fromJson(c)));
        return out;
    }
}
