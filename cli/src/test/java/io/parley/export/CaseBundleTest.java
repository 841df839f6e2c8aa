package io.parley.export;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.cli.CliTest;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.log.Checkpoint;
import io.parley.log.SignedNote;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.verifier.Commands;
import io.parley.verifier.StandaloneVerifier;

/** A real case across three nodes, exported and verified offline, and 200+ tampered copies that must all fail. */
class CaseBundleTest {
    @TempDir static Path tmp;
    static NodeServer a, b, c;
    static ObjectNode bundle;

    @BeforeAll
    static void setUp() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        c = TestNodes.start(tmp, "mfa-c.example");
        TestNodes.peerAll(a, b, c);
        var charter = TestNodes.charter("tri", Tlp.AMBER, Map.of(a, a.baseUrl(), b, b.baseUrl(), c, c.baseUrl()));
        assertEquals(201, TestNodes.post(a, "/api/v1/channels", Json.write(charter.toJson())).statusCode());
        for (NodeServer n : List.of(b, c)) {
            assertTrue(TestNodes.eventually(10, () -> n.node().channels().charter("tri").isPresent()));
            assertEquals(200, TestNodes.post(n, "/api/v1/channels/tri/sign", TestNodes.signBody(charter)).statusCode());
        }
        for (NodeServer n : List.of(a, b, c)) assertTrue(TestNodes.eventually(15, () -> n.node().charters().active("tri")));
        TestNodes.post(a, "/api/v1/channels/tri/messages", "{\"kind\":\"notify\",\"body\":{\"text\":\"unrelated\"}}");
        var opened = TestNodes.post(a, "/api/v1/channels/tri/cases", "{\"kind\":\"request\",\"priority\":\"flash\",\"tlp\":\"amber\",\"body\":"
                + "{\"type\":\"preservation\",\"summary\":\"Preserve logs of 203.0.113.7\",\"asked\":\"Preserve NetFlow and VPS snapshots for 90 days\"}}");
        String id = Json.parse(opened.body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + id + "/ack", "{\"text\":\"received\"}").statusCode());
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + id + "/answer", "{\"text\":\"preserved\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.answeredAt() != null).orElse(false)));
        TestNodes.post(a, "/api/v1/channels/tri/messages", "{\"kind\":\"notify\",\"body\":{\"text\":\"between\"}}");
        assertEquals(200, TestNodes.post(a, "/api/v1/cases/" + id + "/close", "{\"text\":\"thanks\"}").statusCode());
        // receipts from both recipients, and a's checkpoint cosigned by both witnesses
        assertTrue(TestNodes.eventually(15, () -> a.federation().outbox().count("cert-b.example", "queued") == 0
                && a.federation().outbox().count("mfa-c.example", "queued") == 0));
        assertTrue(TestNodes.eventually(15, () -> {
            var cp = a.node().log().cosignedCheckpoint().orElseThrow();
            return cp.signatures().size() == 3;
        }), "a's newest checkpoint is cosigned by b and c");
        var res = TestNodes.get(a, "/api/v1/cases/" + id + "/evidence");
        assertEquals(200, res.statusCode(), res.body());
        bundle = (ObjectNode) Json.parse(res.body());
    }

    @AfterAll
    static void tearDown() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    @Test
    void untouchedBundleVerifiesOfflineAndTheTimelineIsRecomputed() {
        var report = CaseBundleVerifier.verify(bundle);
        report.checks().stream().filter(x -> !x.ok()).forEach(x -> System.out.println("FAILED CHECK " + x));
        assertTrue(report.valid());
        var t = report.timeline();
        assertEquals("cert-b.example", t.ackedBy());
        assertEquals(io.parley.timeline.CaseState.CLOSED, t.state());
        assertTrue(report.checks().stream().anyMatch(x -> x.name().equals("acknowledgement deadline") && x.detail().startsWith("met")));
        assertTrue(bundle.path("receipts").size() >= 4, "receipts from b and c for a's envelopes");
        assertTrue(report.checks().stream().anyMatch(x -> x.detail().contains("cosigned by 2 member witness(es)")));
    }

    /**
     * A node's peers in other channels witness its log too: a bilateral bundle carries checkpoints cosigned by a
     * witness outside the channel, whose card it does not hold. Such lines are ignored, as C2SP signed-note says of
     * unknown keys, and counted for no one; the bundle still verifies.
     */
    @Test
    void aBilateralBundleVerifiesThoughAWitnessOutsideTheChannelCosignedItsCheckpoints() throws Exception {
        TestNodes.establish(TestNodes.charter("ab", Tlp.AMBER, a, b), a, b);
        long size = a.node().log().latest().map(io.parley.transparency.StoredCheckpoint::size).orElse(0L);
        var opened = TestNodes.post(a, "/api/v1/channels/ab/cases", "{\"kind\":\"notify\",\"priority\":\"urgent\",\"tlp\":\"amber\",\"body\":{\"summary\":\"bilateral\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        String id = Json.parse(opened.body()).path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> a.federation().outbox().count("cert-b.example", "queued") == 0));
        assertTrue(TestNodes.eventually(15, () -> a.node().log().latest().filter(cp -> cp.size() > size)
                .map(cp -> a.node().log().withCosignatures(cp).signatures().size() == 3).orElse(false)),
                () -> "b and c (outside the channel) cosign a's log: " + a.node().log().latest().map(cp -> cp.size() + " " + a.node().log().withCosignatures(cp).encode()).orElse("none") + " before " + size);
        var res = TestNodes.get(a, "/api/v1/cases/" + id + "/evidence?channel=ab");
        assertEquals(200, res.statusCode(), res.body());
        var report = CaseBundleVerifier.verify(Json.parse(res.body()));
        report.checks().stream().filter(x -> !x.ok()).forEach(x -> System.out.println("FAILED CHECK " + x));
        assertTrue(report.valid());
        assertTrue(report.checks().stream().anyMatch(x -> x.detail().contains("cosigned by 1 member witness(es); 1 cosignature(s) by witnesses outside the channel, not checked")),
                report.checks().toString());
    }

    @Test
    void cliVerifyPrintsEachCheckAndExitsZeroOnlyIfAllHold() throws Exception {
        Path file = tmp.resolve("case.parley.json");
        var exported = CliTest.run("export", "--url", a.baseUrl(), "--user", TestNodes.USER, "--password", TestNodes.PASSWORD,
                "--case", bundle.path("case").asText(), "--out", file.toString());
        assertEquals(0, exported.code(), exported.err());
        var ok = CliTest.run("verify", file.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("ok    bundle signature"), ok.out());
        assertTrue(ok.out().contains("VERIFIED"), ok.out());
        Files.writeString(file, Files.readString(file).replace("preserved", "destroyed"));
        var bad = CliTest.run("verify", file.toString());
        assertNotEquals(0, bad.code());
        assertTrue(bad.out().contains("FAIL"), bad.out());
        assertEquals(1, bad.err().strip().lines().count());
    }

    @Test
    void standaloneJarInAProcessOfItsOwnGivesExactlyTheVerdictOfParleyVerify() throws Exception {
        Path jar = StandaloneVerifier.jar();
        Path file = tmp.resolve("standalone.parley.json");
        Files.writeString(file, Json.write(bundle));
        var standalone = StandaloneVerifier.run(jar, file.toString());
        assertEquals(0, standalone.exit(), standalone.out() + standalone.err());
        assertTrue(standalone.out().contains("ok    bundle signature"), standalone.out());
        assertTrue(standalone.out().strip().endsWith("checks hold"), standalone.out());
        assertEquals(CliTest.run("verify", file.toString()).out(), standalone.out(), "the same checks and the same lines as parley verify");
    }

    @Test
    void standaloneJarRejectsTamperedCopies() throws Exception {
        Path jar = StandaloneVerifier.jar();
        // what a party would want to falsify: the answer's text, who answered, a receipt's proof, a party's key
        List<Mutation> tampered = new ArrayList<>(List.of(
                new Mutation("answer text", b -> replaceText(b, "preserved", "destroyed"), false),
                new Mutation("answering party", b -> replaceText(b, "\"from\":\"cert-b.example\"", "\"from\":\"mfa-c.example\""), false),
                new Mutation("receipt proof", b -> alterLeaf(b, firstLeaf(b, "/receipts/"), 7), false),
                new Mutation("party card", b -> alterLeaf(b, firstLeaf(b, "/parties/"), 11), false)));
        List<String> leaves = new ArrayList<>();
        collectLeaves(bundle, "", leaves);
        Random random = new Random(20261130);
        for (int i = 0; i < 4; i++) {
            String leaf = leaves.get(random.nextInt(leaves.size()));
            int seed = random.nextInt();
            tampered.add(new Mutation("leaf " + leaf, b -> alterLeaf(b, leaf, seed), false));
        }
        for (Mutation m : tampered) {
            ObjectNode copy = bundle.deepCopy();
            m.apply().accept(copy);
            Path file = tmp.resolve("tampered.parley.json");
            Files.writeString(file, Json.write(copy));
            var r = StandaloneVerifier.run(jar, file.toString());
            assertEquals(Commands.FAILED, r.exit(), m.name() + ": " + r.out());
            assertTrue(r.out().contains("FAIL  "), m.name() + ": " + r.out());
            assertEquals(1, r.err().strip().lines().count(), m.name() + ": one line on stderr: " + r.err());
            assertTrue(r.err().contains("does not verify"), m.name() + ": " + r.err());
        }
    }

    @Test
    void standaloneJarSaysInOneLineWhatIsWrongWithAFileThatIsNoBundle() throws Exception {
        Path jar = StandaloneVerifier.jar();
        Path notJson = tmp.resolve("not-json.txt");
        Files.writeString(notJson, "this is not a bundle");
        for (String arg : List.of(notJson.toString(), tmp.resolve("missing.json").toString())) {
            var r = StandaloneVerifier.run(jar, arg);
            assertEquals(Commands.FAILED, r.exit(), r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("parley: "), r.err());
            assertFalse(r.err().contains("Exception"), "no Java exception names or stack traces: " + r.err());
        }
    }

    /** Replaces text inside the bundle's JSON (every occurrence), keeping it well-formed. */
    static void replaceText(ObjectNode b, String from, String to) {
        String json = Json.write(b);
        assertTrue(json.contains(from), "the bundle holds " + from);
        ObjectNode changed = (ObjectNode) Json.parse(json.replace(from, to));
        b.removeAll();
        b.setAll(changed);
    }

    static String firstLeaf(ObjectNode b, String prefix) {
        List<String> leaves = new ArrayList<>();
        collectLeaves(b, "", leaves);
        return leaves.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in the bundle"));
    }

    /** One tampering: what it does, and whether only the exporter's signature can see it (unsigned metadata). */
    record Mutation(String name, Consumer<ObjectNode> apply, boolean metadataOnly) {}

    @Test
    void everyOneOfTwoHundredMutationsIsRejected() throws Exception {
        List<Mutation> mutations = mutations(new Random(20261123));
        assertTrue(mutations.size() >= 200, "generated " + mutations.size());
        List<String> accepted = new ArrayList<>();
        List<String> onlyBySignature = new ArrayList<>();
        for (Mutation m : mutations) {
            ObjectNode copy = bundle.deepCopy();
            m.apply().accept(copy);
            var report = CaseBundleVerifier.verify(copy);
            if (report.valid()) accepted.add(m.name());
            boolean semantic = report.checks().stream().anyMatch(x -> !x.ok() && !x.name().equals("bundle signature"));
            if (!m.metadataOnly() && !semantic) onlyBySignature.add(m.name());
        }
        assertEquals(List.of(), accepted, "mutations that verified");
        assertEquals(List.of(), onlyBySignature, "signed content whose tampering only the bundle signature noticed");
    }

    List<Mutation> mutations(Random random) throws Exception {
        List<Mutation> out = new ArrayList<>();
        // flip a character or bump a number in leaves of every section
        List<String> leaves = new ArrayList<>();
        collectLeaves(bundle, "", leaves);
        for (int i = 0; i < 140; i++) {
            String ptr = leaves.get(random.nextInt(leaves.size()));
            if (ptr.equals("/sig")) continue;
            int seed = random.nextInt();
            out.add(new Mutation("alter " + ptr, root -> alterLeaf(root, ptr, seed), isMetadata(ptr)));
        }
        // drop or reorder envelopes, charter signatures, inclusions, receipts, checkpoints, parties
        for (String array : List.of("/envelopes", "/charter_envelopes", "/receipts", "/parties", "/segments", "/logs/cert-a.example/inclusions",
                "/logs/cert-a.example/checkpoints")) {
            int n = bundle.at(array).size();
            for (int i = 0; i < n; i++) {
                int k = i;
                // Dropping a receipt only removes proof that a delivery happened; the bundle then claims less, which only
                // the exporter's signature over the whole file can notice.
                out.add(new Mutation("drop " + array + "/" + k, root -> ((ArrayNode) root.at(array)).remove(k), array.equals("/receipts")));
                if (k + 1 < n && !bundle.at(array).get(k).equals(bundle.at(array).get(k + 1))) {
                    out.add(new Mutation("swap " + array + "/" + k, root -> swap((ArrayNode) root.at(array), k, k + 1), array.equals("/parties") || array.equals("/segments")));
                }
            }
        }
        // swap receipts between envelopes
        int receipts = bundle.path("receipts").size();
        for (int i = 0; i + 1 < receipts; i++) {
            int k = i;
            if (bundle.path("receipts").get(k).path("envelope").equals(bundle.path("receipts").get(k + 1).path("envelope"))) continue;
            out.add(new Mutation("swap receipt proofs " + k, root -> {
                ObjectNode r1 = (ObjectNode) root.path("receipts").get(k), r2 = (ObjectNode) root.path("receipts").get(k + 1);
                JsonNode p = r1.get("tlog_proof");
                r1.set("tlog_proof", r2.get("tlog_proof"));
                r2.set("tlog_proof", p);
            }, false));
        }
        // forge cosignatures on the exporter's checkpoint
        ArrayNode cps = (ArrayNode) bundle.at("/logs/cert-a.example/checkpoints");
        for (int i = 0; i < cps.size(); i++) {
            int k = i;
            String note = cps.get(k).asText();
            String[] lines = note.split("\n");
            for (int l = 0; l < lines.length; l++) {
                if (!lines[l].startsWith("\u2014 ")) continue;
                int line = l;
                out.add(new Mutation("forge signature line " + l + " of checkpoint " + k, root -> {
                    String[] ls = root.at("/logs/cert-a.example/checkpoints").get(k).asText().split("\n");
                    char[] chars = ls[line].toCharArray();
                    int pos = chars.length - 5;
                    chars[pos] = chars[pos] == 'A' ? 'B' : 'A';
                    ls[line] = new String(chars);
                    ((ArrayNode) root.at("/logs/cert-a.example/checkpoints")).set(k, TextNode.valueOf(String.join("\n", ls) + "\n"));
                }, false));
            }
            var forger = io.parley.identity.SigningKey.generate("mfa-c.example");
            out.add(new Mutation("add a cosignature by an unknown key to checkpoint " + k, root -> {
                try {
                    SignedNote n = SignedNote.parse(root.at("/logs/cert-a.example/checkpoints").get(k).asText());
                    var cosig = new io.parley.log.CosignerKey(forger).cosign(Checkpoint.of(n), 1_800_000_000L);
                    ((ArrayNode) root.at("/logs/cert-a.example/checkpoints")).set(k, TextNode.valueOf(n.withSignatures(List.of(cosig.toNoteSignature())).encode()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, false));
        }
        // an inconsistent checkpoint, validly signed by a's real key: a forked history
        var aKey = io.parley.identity.KeyFiles.read(a.node().dir().resolve("log.key"));
        out.add(new Mutation("replace the older checkpoint with a forked one", root -> {
            try {
                ArrayNode list = (ArrayNode) root.at("/logs/cert-a.example/checkpoints");
                Checkpoint old = Checkpoint.of(SignedNote.parse(list.get(0).asText()));
                byte[] otherRoot = io.parley.identity.Sha256.hash("fork".getBytes());
                list.set(0, TextNode.valueOf(new Checkpoint(old.origin(), old.size(), otherRoot).sign(io.parley.log.NoteSigner.ed25519(aKey)).encode()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, false));
        // shift a timestamp of an envelope by a second
        for (int i = 0; i < bundle.path("envelopes").size(); i++) {
            int k = i;
            out.add(new Mutation("retime envelope " + k, root -> {
                ObjectNode e = (ObjectNode) root.path("envelopes").get(k);
                e.put("created", java.time.Instant.parse(e.path("created").asText()).plusSeconds(1).toString());
            }, false));
        }
        return out;
    }

    static boolean isMetadata(String ptr) {
        return ptr.startsWith("/exported_at") || ptr.startsWith("/exported_by") || ptr.startsWith("/timeline/evaluated_at")
                || ptr.startsWith("/timeline/ack_status") || ptr.startsWith("/timeline/answer_status") || ptr.startsWith("/format");
    }

    static void collectLeaves(JsonNode n, String ptr, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                collectLeaves(e.getValue(), ptr + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) collectLeaves(n.get(i), ptr + "/" + i, out);
        } else {
            out.add(ptr);
        }
    }

    static void alterLeaf(ObjectNode root, String ptr, int seed) {
        int slash = ptr.lastIndexOf('/');
        JsonNode parent = root.at(ptr.substring(0, slash));
        String key = ptr.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        JsonNode leaf = root.at(ptr);
        JsonNode changed;
        if (leaf.isTextual() && !leaf.asText().isEmpty()) {
            char[] s = leaf.asText().toCharArray();
            int pos = Math.floorMod(seed, s.length);
            s[pos] = s[pos] == 'a' ? 'b' : (s[pos] == '0' ? '1' : (Character.isDigit(s[pos]) ? '0' : 'a'));
            changed = TextNode.valueOf(new String(s));
        } else if (leaf.isIntegralNumber()) {
            changed = LongNode.valueOf(leaf.asLong() + 1);
        } else if (leaf.isBoolean()) {
            changed = BooleanNode.valueOf(!leaf.asBoolean());
        } else if (leaf.isNull()) {
            changed = IntNode.valueOf(1);
        } else {
            changed = TextNode.valueOf("x");
        }
        if (parent.isObject()) ((ObjectNode) parent).set(key, changed);
        else ((ArrayNode) parent).set(Integer.parseInt(key), changed);
    }

    static void swap(ArrayNode a, int i, int j) {
        JsonNode x = a.get(i);
        a.set(i, a.get(j));
        a.set(j, x);
    }
}
