package io.parley.export;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.bundle.TimelineJson;
import io.parley.cli.CliTest;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.identity.KeyFiles;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.log.Checkpoint;
import io.parley.log.CosignerKey;
import io.parley.log.NoteSignature;
import io.parley.log.SignedNote;
import io.parley.node.NodeConfig;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.CaseTimeline;
import io.parley.verifier.StandaloneVerifier;

/**
 * Provable silence across three real nodes on one moved clock: b never acknowledges a's request, the deadline passes,
 * a pins b's chain with an automatic ping that b's node answers, and the exported bundle proves offline that b sent
 * nothing in reply in time; forged silence claims (a reply hidden by relinking the chain, a pin cosigned before the
 * deadline, a cosignature missing or forged, a claim against a party that answered) are rejected.
 */
class SilenceProofTest {
    static final String A = "cert-a.example", B = "cert-b.example", C = "mfa-c.example";

    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    NodeServer a, b, c;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, A, null, clock);
        b = TestNodes.start(tmp, B, null, clock);
        c = TestNodes.start(tmp, C, null, clock);
        TestNodes.peerAll(a, b, c);
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, a, b, c), a, b, c);
        clock.advance(Duration.ofMinutes(1));
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    String open(String summary) throws Exception {
        var res = TestNodes.post(a, "/api/v1/channels/tri/cases", "{\"kind\":\"request\",\"priority\":\"flash\",\"tlp\":\"amber\",\"body\":"
                + "{\"type\":\"mitigation\",\"summary\":\"" + summary + "\",\"asked\":\"Take the C2 server down\"}}");
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("id").asText();
    }

    ObjectNode export(String id) throws Exception {
        var res = TestNodes.get(a, "/api/v1/cases/" + id + "/evidence");
        assertEquals(200, res.statusCode(), res.body());
        return (ObjectNode) Json.parse(res.body());
    }

    /** The bundle's proof entry for b's missed acknowledgement, once a can prove it. */
    static JsonNode proofOfB(JsonNode bundle) {
        for (JsonNode e : bundle.path("silence")) if (e.path("party").asText().equals(B) && e.path("deadline").asText().equals("ack")) return e;
        return null;
    }

    @Test
    void silenceIsPinnedExportedAndProvenOfflineAndForgedClaimsFail() throws Exception {
        String ignored = open("C2 at 198.51.100.9");
        String acked = open("Second C2 at 198.51.100.10");
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(ignored).isPresent() && b.cases().timeline(acked).isPresent()
                && c.cases().timeline(ignored).isPresent()));
        assertTrue(TestNodes.eventually(15, () -> a.federation().outbox().count(B, "queued") == 0), "b's receipts for a's requests are in");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(200, TestNodes.post(c, "/api/v1/cases/" + ignored + "/ack", "{\"text\":\"seen\"}").statusCode());
        // b's duty officer answers the other case and posts on the channel, but never replies to the first
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + acked + "/ack", "{\"text\":\"on it\"}").statusCode());
        assertEquals(201, TestNodes.post(b, "/api/v1/channels/tri/messages", "{\"kind\":\"notify\",\"body\":{\"text\":\"maintenance tonight\"}}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(ignored).map(t -> t.responses().containsKey(C)).orElse(false)
                && a.cases().timeline(acked).map(t -> t.responses().containsKey(B)).orElse(false)));

        ObjectNode before = export(ignored);
        assertFalse(before.has("silence"), "no deadline has passed yet: no silence to prove");

        clock.advance(Duration.ofMinutes(20)); // past the 15-minute acknowledgement deadline
        Instant due = a.cases().timeline(ignored).orElseThrow().ackDue();
        // the deadline clock pins b once: a ping outside any case, which b's node answers after the deadline
        assertTrue(TestNodes.eventually(15, () -> a.deadlines().pins().claimed("tri").stream().anyMatch(r -> r[0].equals(ignored) && r[2].equals(B) && r[3] != null)));
        a.deadlines().tick();
        a.deadlines().tick();
        assertEquals(1, a.deadlines().pins().claimed("tri").stream().filter(r -> r[0].equals(ignored)).count(), "one pin per party and deadline: " + a.deadlines().pins().claimed("tri"));
        assertTrue(a.deadlines().pins().claimed("tri").stream().noneMatch(r -> r[0].equals(acked) && r[2].equals(B)), "b acknowledged that one in time");
        String pinHash = a.deadlines().pins().claimed("tri").stream().filter(r -> r[0].equals(ignored) && r[2].equals(B)).findFirst().orElseThrow()[3];
        var pin = a.node().envelopes().byHash(pinHash).orElseThrow().envelope();
        assertEquals(Kind.PING, pin.kind());
        assertNull(pin.caseId(), "the pin ping is no step of the case");
        assertEquals(ignored, pin.body().path("pins").asText());
        // b's pong never counts as an acknowledgement of the case
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().chain("tri", B, 0, 100).stream()
                .anyMatch(s -> s.envelope().kind() == Kind.PONG && s.envelope().caseId() == null)));
        assertFalse(a.cases().timeline(ignored).orElseThrow().responses().containsKey(B));
        assertEquals(io.parley.timeline.DeadlineStatus.MISSED, a.cases().timeline(ignored).orElseThrow().ackStatusOf(B, clock.instant()));
        // the duty officer sees the pin on the case page, among the escalations
        String page = io.parley.testing.WebSessions.get(a, io.parley.testing.WebSessions.signIn(a), "/cases/" + ignored).body();
        assertTrue(page.contains("automatic ping to " + B), page);

        // once a witness has cosigned a checkpoint holding the pin, the bundle proves the silence
        ObjectNode[] holder = new ObjectNode[1];
        assertTrue(TestNodes.eventually(30, () -> {
            try {
                holder[0] = export(ignored);
                return proofOfB(holder[0]) != null && proofOfB(holder[0]).has("pin");
            } catch (Exception e) {
                return false;
            }
        }), "a provable silence entry for b");
        ObjectNode bundle = holder[0];
        var report = CaseBundleVerifier.verify(bundle);
        report.checks().stream().filter(x -> !x.ok()).forEach(x -> System.out.println("FAILED CHECK " + x));
        assertTrue(report.valid());
        String silent = report.findings().stream().filter(l -> l.startsWith("silent: " + B)).findFirst().orElseThrow(() -> new AssertionError(report.findings()));
        assertTrue(silent.startsWith("silent: " + B + " sent no acknowledgement to " + ignored + " between " + report.timeline().openedAt() + " and " + due
                + " (chain seq "), silent);
        assertTrue(silent.matches(".*checkpoint \\d+ cosigned by (cert-b\\.example|mfa-c\\.example)(, mfa-c\\.example)?\\)"), silent);
        assertTrue(report.findings().stream().noneMatch(l -> l.startsWith("silent: " + C) || l.startsWith("silence not provable: " + C)), "c acknowledged in time: " + report.findings());
        // b's chain stretch holds its other traffic (the ack of the other case, the notice): none of it a reply to this one
        JsonNode proof = proofOfB(bundle);
        long bEnvelopes = 0;
        for (JsonNode e : bundle.path("envelopes")) if (e.path("from").asText().equals(B)) bEnvelopes++;
        assertTrue(bEnvelopes >= proof.path("last").asLong() - proof.path("first").asLong() + 1);

        // parley verify and the standalone jar print the same silent: line and exit 0
        Path file = tmp.resolve("silent.parley.json");
        Files.writeString(file, Json.write(bundle));
        var cli = CliTest.run("verify", file.toString());
        assertEquals(0, cli.code(), cli.out() + cli.err());
        assertTrue(cli.out().contains(silent + "\n"), cli.out());
        var standalone = StandaloneVerifier.run(StandaloneVerifier.jar(), file.toString());
        assertEquals(0, standalone.exit(), standalone.out() + standalone.err());
        assertEquals(cli.out(), standalone.out());

        // forgeries, each re-signed by the exporter (the party that would want to accuse falsely)
        CosignerKey witnessB = witness(B), witnessC = witness(C);
        long size = proof.path("checkpoint").path("size").asLong();
        assertRejected(recosign(bundle, size, due.minusSeconds(60), witnessB, witnessC), "before the deadline");
        assertRejected(recosign(bundle, size, null), "no witness has yet cosigned");
        ObjectNode forgedLine = recosign(bundle, size, due.plusSeconds(60), witnessB, witnessC);
        corruptCosignature(forgedLine, size);
        assertRejected(forgedLine, null);
        ObjectNode againstC = bundle.deepCopy();
        ObjectNode claimC = ((ArrayNode) againstC.path("silence")).addObject();
        claimC.setAll((ObjectNode) proof.deepCopy());
        claimC.put("party", C);
        assertRejected(resign(againstC), "no missed deadline");
        assertRejected(hiddenReply(export(acked), bundle, acked), "does not verify");

        // an exporter that does not claim (or cannot yet prove) a silence says so, and that is no failure
        ObjectNode unclaimed = bundle.deepCopy();
        unclaimed.remove("silence");
        var quiet = CaseBundleVerifier.verify(resign(unclaimed));
        assertTrue(quiet.valid());
        assertTrue(quiet.findings().stream().anyMatch(l -> l.startsWith("silence not provable: " + B) && l.contains("no silence proof")), quiet.findings().toString());
        assertTrue(quiet.findings().stream().noneMatch(l -> l.startsWith("silent:")));

        // b comes back with a late answer: its silence until the deadline stays proven, and its answer was in time
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + ignored + "/answer", "{\"text\":\"taken down, sorry for the delay\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(ignored).map(t -> t.answeredAt() != null).orElse(false)));
        assertTrue(TestNodes.eventually(30, () -> {
            try {
                holder[0] = export(ignored);
                var r = CaseBundleVerifier.verify(holder[0]);
                return r.valid() && r.findings().stream().anyMatch(l -> l.startsWith("silent: " + B + " sent no acknowledgement"));
            } catch (Exception e) {
                return false;
            }
        }), "the late answer does not undo the proof");
        var late = CaseBundleVerifier.verify(holder[0]);
        assertTrue(late.checks().stream().anyMatch(x -> x.name().equals("answer deadline") && x.detail().startsWith("met")));
        assertTrue(late.findings().stream().noneMatch(l -> l.contains("sent no answer")));

        // a member's pin ping is answered only by the party it names, and moves no case
        var sent = c.node().composer().compose(new io.parley.node.Composer.Draft("tri", Kind.PING, null, io.parley.envelope.Priority.FLASH, Tlp.AMBER,
                Json.object().put("mode", "auto").put("to", B).put("pins", ignored).put("deadline", "ack")));
        String byC = ((io.parley.envelope.Verdict.Accepted) sent).hash();
        assertTrue(TestNodes.eventually(10, () -> pongs(c, byC, B) == 1), "b answers the pin addressed to it");
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().byHash(byC).isPresent()));
        assertEquals(201, TestNodes.post(a, "/api/v1/channels/tri/messages", "{\"kind\":\"notify\",\"body\":{\"text\":\"after the drill\"}}").statusCode());
        assertEquals(0, pongs(a, byC, A), "a does not answer a pin addressed to b");
        var after = a.cases().timeline(ignored).orElseThrow();
        assertEquals(late.timeline().responses(), after.responses(), "no pin or pong is a response to the case");
    }

    /** Pongs from {@code from} answering ping {@code ping}, as {@code at} holds them. */
    static long pongs(NodeServer at, String ping, String from) {
        return at.node().envelopes().chain("tri", from, 0, 1000).stream()
                .filter(s -> s.envelope().kind() == Kind.PONG && ping.equals(s.envelope().body().path("ping").asText())).count();
    }

    void assertRejected(ObjectNode forged, String reason) throws Exception {
        var r = CaseBundleVerifier.verify(forged);
        assertFalse(r.valid(), "forged bundle verified");
        assertTrue(r.findings().stream().noneMatch(l -> l.startsWith("silent:")), "a bundle that does not verify proves no silence: " + r.findings());
        if (reason != null) {
            assertTrue(r.checks().stream().anyMatch(x -> !x.ok() && x.name().startsWith("silence of") && x.detail().contains(reason)),
                    reason + " in " + r.checks().stream().filter(x -> !x.ok()).toList());
        }
        Path file = tmp.resolve("forged.parley.json");
        Files.writeString(file, Json.write(forged));
        var cli = CliTest.run("verify", file.toString());
        assertNotEquals(0, cli.code(), cli.out());
        assertFalse(cli.out().contains("silent:"), cli.out());
    }

    CosignerKey witness(String origin) throws Exception {
        return new CosignerKey(KeyFiles.read(tmp.resolve(origin).resolve(NodeConfig.WITNESS_KEY_FILE)));
    }

    /** Checkpoint {@code size} of a's log in the bundle with its witness cosignatures replaced by these, made at {@code at}. */
    ObjectNode recosign(ObjectNode bundle, long size, Instant at, CosignerKey... witnesses) throws Exception {
        ObjectNode copy = bundle.deepCopy();
        ArrayNode cps = (ArrayNode) copy.path("logs").path(A).path("checkpoints");
        for (int i = 0; i < cps.size(); i++) {
            SignedNote note = SignedNote.parse(cps.get(i).asText());
            Checkpoint cp = Checkpoint.of(note);
            if (cp.size() != size) continue;
            int logKeyId = a.node().key().verifierKey().keyIdInt();
            List<NoteSignature> sigs = new ArrayList<>(note.signatures().stream().filter(s -> s.keyId() == logKeyId).toList());
            for (CosignerKey w : witnesses) sigs.add(w.cosign(cp, at.getEpochSecond()).toNoteSignature());
            cps.set(i, new SignedNote(note.text(), sigs).encode());
        }
        return resign(copy);
    }

    /** Flips a byte of the first witness cosignature of checkpoint {@code size}. */
    void corruptCosignature(ObjectNode bundle, long size) throws Exception {
        ArrayNode cps = (ArrayNode) bundle.path("logs").path(A).path("checkpoints");
        int logKeyId = a.node().key().verifierKey().keyIdInt();
        for (int i = 0; i < cps.size(); i++) {
            SignedNote note = SignedNote.parse(cps.get(i).asText());
            if (Checkpoint.of(note).size() != size) continue;
            List<NoteSignature> sigs = new ArrayList<>();
            boolean done = false;
            for (NoteSignature s : note.signatures()) {
                if (!done && s.keyId() != logKeyId) {
                    byte[] bytes = s.signature();
                    bytes[bytes.length - 1] ^= 1;
                    s = new NoteSignature(s.name(), s.keyId(), bytes);
                    done = true;
                }
                sigs.add(s);
            }
            cps.set(i, new SignedNote(note.text(), sigs).encode());
        }
        resign(bundle);
    }

    /**
     * The other case's bundle, forged to claim b silent on it: b's acknowledgement removed from b's chain (taken from the
     * genuine silence proof's stretch) and b's later envelopes renumbered and relinked so the chain looks whole, the
     * timeline recomputed without the reply, a silence entry added, all re-signed by the exporter.
     */
    ObjectNode hiddenReply(ObjectNode other, ObjectNode genuine, String caseId) throws Exception {
        JsonNode proof = proofOfB(genuine);
        List<Envelope> bChain = new ArrayList<>();
        for (JsonNode e : genuine.path("envelopes")) {
            Envelope env = Envelope.fromJson(e);
            if (env.from().equals(B) && env.seq() >= proof.path("first").asLong() && env.seq() <= proof.path("last").asLong()) bChain.add(env);
        }
        bChain.sort(Comparator.comparingLong(Envelope::seq));
        List<Envelope> relinked = new ArrayList<>();
        boolean removed = false;
        for (Envelope e : bChain) {
            if (caseId.equals(e.caseId()) && e.kind() == Kind.ACK) {
                removed = true;
                continue;
            }
            if (!removed || relinked.isEmpty()) {
                relinked.add(e);
                continue;
            }
            Envelope prev = relinked.get(relinked.size() - 1);
            relinked.add(new Envelope(e.v(), e.channel(), e.from(), prev.seq() + 1, prev.hash(), e.kind(), e.caseId(), e.created(), e.priority(), e.tlp(),
                    e.body(), e.sig()));
        }
        assertTrue(removed, "b's acknowledgement of the other case lies in the stretch");
        ObjectNode forged = other.deepCopy();
        ArrayNode envelopes = forged.putArray("envelopes");
        List<Envelope> all = new ArrayList<>();
        for (JsonNode e : other.path("envelopes")) if (!Envelope.fromJson(e).from().equals(B)) all.add(Envelope.fromJson(e));
        all.addAll(relinked);
        all.sort(Comparator.comparing(Envelope::from).thenComparingLong(Envelope::seq));
        all.forEach(e -> envelopes.add(e.toJson()));
        Envelope pin = relinked.get(relinked.size() - 1);
        ArrayNode segments = forged.putArray("segments");
        for (JsonNode s : other.path("segments")) if (!s.path("from").asText().equals(B)) segments.add(s);
        segments.addObject().put("from", B).put("first", relinked.get(0).seq()).put("last", pin.seq());
        forged.set("logs", genuine.path("logs").deepCopy());
        ObjectNode entry = forged.putArray("silence").addObject().put("party", B).put("deadline", "ack").put("first", relinked.get(0).seq())
                .put("last", pin.seq()).put("pin", pin.hash());
        entry.set("checkpoint", proof.path("checkpoint").deepCopy());
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (Envelope e : all) if (caseId.equals(e.caseId())) items.add(new CaseTimeline.Item(e, e.hash()));
        var charter = io.parley.charter.Charter.fromJson(other.path("charter"));
        forged.set("timeline", TimelineJson.of(CaseTimeline.of(caseId, items, charter).orElseThrow(), Instant.parse(other.path("exported_at").asText())));
        return resign(forged);
    }

    ObjectNode resign(ObjectNode b) {
        b.remove("sig");
        b.put("sig", Base64.getEncoder().encodeToString(a.node().key().sign(Jcs.canonicalize(b))));
        return b;
    }
}
