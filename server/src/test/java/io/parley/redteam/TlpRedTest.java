package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.envelope.WithheldNotice;
import io.parley.federation.PeerRequestAuth;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.store.EnvelopeStore;
import io.parley.testing.TestNodes;

/**
 * Issue 10, item 2: TLP:RED goes only to its named recipients, the chains of every other member stay whole through
 * the sender's signed withheld notices (which nobody else can forge), and on a recipient's node a user without a RED
 * grant sees no RED content on any read path. One network for the class; each test uses its own channel
 * (members cert-a, cert-b, mfa-c and evil, ceiling RED) and its own secret text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlpRedTest {
    @TempDir static Path tmp;
    HostileNetwork net;

    @BeforeAll
    void start() throws Exception {
        net = HostileNetwork.start(tmp);
        net.b.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", Instant.now());
    }

    @AfterAll
    void stop() throws Exception {
        if (net != null) net.close();
    }

    /** A RED notify through cert-a's API naming only cert-b; returns its hash. */
    private String sendRed(String channel, String secret) throws Exception {
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "red");
        req.putObject("body").put("text", secret).put("lang", "en").putArray("recipients").add("cert-b.example");
        var res = TestNodes.post(net.a, "/api/v1/channels/" + channel + "/messages", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("hash").asText();
    }

    /** Everything a node's database holds as text, for "this secret is nowhere on that node". */
    private static String everything(NodeServer n) {
        StringBuilder sb = new StringBuilder();
        for (String q : List.of("SELECT canonical FROM envelopes", "SELECT COALESCE(envelope, '') FROM rejections",
                "SELECT conflicting FROM equivocations", "SELECT bundle FROM evidence_bundles", "SELECT object FROM stix_objects",
                "SELECT value FROM observables")) {
            try {
                n.node().db().query(q, rs -> rs.getString(1)).forEach(s -> sb.append(s).append('\n'));
            } catch (RuntimeException e) {
                    throw new AssertionError(q, e);
            }
        }
        return sb.toString();
    }

    private static long seqOf(NodeServer n, String hash) {
        return n.node().envelopes().byHash(hash).orElseThrow().envelope().seq();
    }

    // --- delivery -----------------------------------------------------------------------------------------------

    @Test
    void redNamingOnlyCertBNeverReachesNonRecipientsByPush() throws Exception {
        String ch = net.redChannel("push");
        String secret = "red-push-" + UUID.randomUUID();
        String hash = sendRed(ch, secret);
        long seq = seqOf(net.a, hash);
        assertTrue(TestNodes.eventually(15, () -> net.b.node().envelopes().byHash(hash).isPresent()), "the named recipient gets it");
        for (NodeServer n : List.of(net.c, net.evil)) {
            assertTrue(TestNodes.eventually(15, () -> n.node().envelopes().link(ch, "cert-a.example", seq).isPresent()),
                    n.node().origin() + " gets the chain link");
            EnvelopeStore.Link link = n.node().envelopes().link(ch, "cert-a.example", seq).orElseThrow();
            assertTrue(link.withheld(), "a placeholder, not the envelope, at " + n.node().origin());
            assertEquals(hash, link.hash());
            assertTrue(n.node().envelopes().byHash(hash).isEmpty(), "no message under that hash at " + n.node().origin());
            assertFalse(everything(n).contains(secret), "the RED text is nowhere on " + n.node().origin());
        }
        // the sender's outbox: the envelope went to cert-b only; the others got (and receipted) the notice
        assertTrue(TestNodes.eventually(15, () -> net.a.federation().outbox().forEnvelope(hash).stream().allMatch(s -> s.state().equals("delivered"))));
        assertEquals(3, net.a.federation().outbox().forEnvelope(hash).size());
    }

    @Test
    void composingRedWithoutNamedMemberRecipientsIsAClearProblem() throws Exception {
        String ch = net.redChannel("compose");
        long before = net.a.node().envelopes().head(ch, "cert-a.example").map(h -> h.seq()).orElse(0L);
        for (String body : List.of("{\"text\":\"x\"}", "{\"text\":\"x\",\"recipients\":[]}", "{\"text\":\"x\",\"recipients\":[\"nobody.example\"]}",
                "{\"text\":\"x\",\"recipients\":\"cert-b.example\"}")) {
            var res = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/messages", "{\"kind\":\"notify\",\"tlp\":\"red\",\"body\":" + body + "}");
            assertTrue(res.statusCode() == 400 || res.statusCode() == 422, body + " -> " + res.statusCode() + " " + res.body());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.body());
            assertTrue(res.body().contains("recipients"), res.body());
        }
        var caseRes = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases",
                "{\"kind\":\"notify\",\"tlp\":\"red\",\"body\":{\"summary\":\"no recipients\"}}");
        assertEquals(422, caseRes.statusCode(), caseRes.body());
        assertEquals(before, net.a.node().envelopes().head(ch, "cert-a.example").map(h -> h.seq()).orElse(0L), "nothing was stored");
    }

    @Test
    void chainsStayIntactAtNonRecipients() throws Exception {
        String ch = net.redChannel("chain");
        String red = sendRed(ch, "red-chain-" + UUID.randomUUID());
        String green = HostileNetwork.send(net.a, ch, Tlp.GREEN, "green after red");
        for (NodeServer n : List.of(net.b, net.c, net.evil)) {
            assertTrue(TestNodes.eventually(15, () -> n.node().envelopes().byHash(green).isPresent()), "the next GREEN is accepted at " + n.node().origin());
            assertEquals(red, n.node().envelopes().byHash(green).orElseThrow().envelope().prev());
        }
        // a RED case (and its RED answer, addressed to the same parties) does not break chains either
        ObjectNode open = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "red");
        open.putObject("body").put("type", "trace").put("summary", "red case").put("asked", "trace it").putArray("recipients").add("cert-b.example");
        var opened = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", Json.write(open));
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> net.b.cases().timeline(caseId).isPresent()));
        var ack = TestNodes.post(net.b, "/api/v1/cases/" + caseId + "/ack", "{\"text\":\"on it\"}");
        assertEquals(200, ack.statusCode(), ack.body());
        assertTrue(TestNodes.eventually(15, () -> net.a.cases().timeline(caseId).map(t -> t.ackedAt() != null).orElse(false)), "the opener gets the RED ack");
        String bGreen = HostileNetwork.send(net.b, ch, Tlp.GREEN, "green from b after its red ack");
        String aGreen = HostileNetwork.send(net.a, ch, Tlp.GREEN, "green from a after its red case");
        for (NodeServer n : List.of(net.c, net.evil)) {
            assertTrue(TestNodes.eventually(15, () -> n.node().envelopes().byHash(bGreen).isPresent() && n.node().envelopes().byHash(aGreen).isPresent()),
                    n.node().origin());
            assertTrue(n.cases().timeline(caseId).isEmpty(), "a non-recipient does not even learn the case");
        }
    }

    @Test
    void catchUpServesNoticesNeverRedToNonRecipients() throws Exception {
        String ch = net.redChannel("catchup");
        String secret = "red-catchup-" + UUID.randomUUID();
        String red = sendRed(ch, secret);
        long seq = seqOf(net.a, red);
        assertTrue(TestNodes.eventually(15, () -> net.b.node().envelopes().byHash(red).isPresent()));
        SigningKey evilKey = HostileNetwork.keyOf(net.evil);
        for (NodeServer source : List.of(net.a, net.b)) {
            var res = catchUp(source, ch, "cert-a.example", evilKey);
            assertEquals(200, res.statusCode(), res.body());
            assertFalse(res.body().contains(secret), "catch-up from " + source.node().origin() + " must not serve RED to evil");
        }
        // the sender serves its signed notice in the RED envelope's place
        JsonNode fromA = Json.parse(catchUp(net.a, ch, "cert-a.example", evilKey).body()).path("envelopes");
        JsonNode link = fromA.get((int) seq - 1);
        assertTrue(WithheldNotice.isNotice(link), link.toString());
        assertEquals(red, link.path("hash").asText());
        assertTrue(WithheldNotice.fromJson(link).verify(net.a.node().key().verifierKey()));

        // a non-recipient that lost its link gets it back by catch-up (the notice, verified) and keeps its chain
        String green = HostileNetwork.send(net.a, ch, Tlp.GREEN, "green after red, catch-up");
        assertTrue(TestNodes.eventually(15, () -> net.c.node().envelopes().byHash(green).isPresent()));
        net.c.node().db().update("DELETE FROM envelopes WHERE channel = ? AND sender = ? AND seq >= ?", ch, "cert-a.example", seq);
        net.c.federation().catchUp().pull(ch, "cert-a.example");
        EnvelopeStore.Link back = net.c.node().envelopes().link(ch, "cert-a.example", seq).orElseThrow();
        assertTrue(back.withheld());
        assertEquals(red, back.hash());
        assertTrue(net.c.node().envelopes().byHash(green).isPresent(), "and the GREEN after it");
        assertFalse(everything(net.c).contains(secret));
    }

    private static HttpResponse<String> catchUp(NodeServer source, String ch, String from, SigningKey as) throws Exception {
        String path = "/federation/v1/channels/" + ch + "/envelopes?from=" + from + "&after=0&limit=100";
        URI target = URI.create(source.baseUrl() + path);
        return TestNodes.send(PeerRequestAuth.sign(HttpRequest.newBuilder(target).GET(), "GET", target, new byte[0], as, Instant.now()).build());
    }

    // --- forged notices -----------------------------------------------------------------------------------------

    @Test
    void forgedWithheldNoticesAreRefusedAndDoNotBlockTheChain() throws Exception {
        String ch = net.redChannel("forge");
        String first = HostileNetwork.send(net.a, ch, Tlp.GREEN, "first");
        assertTrue(TestNodes.eventually(15, () -> net.c.node().envelopes().byHash(first).isPresent()));
        long next = seqOf(net.a, first) + 1;
        String fakeHash = "ab".repeat(32);
        var draft = new WithheldNotice(ch, "cert-a.example", next, first, fakeHash, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                List.of("cert-b.example"), null);
        // an outsider's key under cert-a's name, and evil's own key, both claiming to be cert-a
        SigningKey outsider = SigningKey.generate("cert-a.example");
        SigningKey evilAsA = new SigningKey("cert-a.example", seedOf(HostileNetwork.keyOf(net.evil)));
        for (SigningKey forger : List.of(outsider, evilAsA)) {
            var res = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", draft.sign(forger).canonical().getBytes(StandardCharsets.UTF_8));
            assertEquals(403, res.statusCode(), res.body());
            assertTrue(res.body().contains("bad-signature"), res.body());
        }
        // unsigned, or carrying the signature of one of cert-a's genuine envelopes (another signing context)
        ObjectNode unsigned = draft.toJson();
        assertEquals(400, HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", Json.write(unsigned).getBytes(StandardCharsets.UTF_8)).statusCode());
        ObjectNode borrowed = draft.toJson().put("sig", net.a.node().envelopes().byHash(first).orElseThrow().envelope().sig());
        var res = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", Json.write(borrowed).getBytes(StandardCharsets.UTF_8));
        assertEquals(403, res.statusCode(), res.body());
        // and a genuine envelope's signature never verifies a notice nor the other way round
        Envelope genuine = net.a.node().envelopes().byHash(first).orElseThrow().envelope();
        assertFalse(net.a.node().key().verifierKey().verify(draft.signingBytes(), genuine.signatureBytes()));

        assertTrue(net.c.node().envelopes().link(ch, "cert-a.example", next).isEmpty(), "no forged notice occupies the chain");
        assertTrue(net.c.node().envelopes().equivocations().stream().noneMatch(e -> e.channel().equals(ch)), "nor frames cert-a");
        assertNull(net.c.node().parties().find("cert-a.example").orElseThrow().flaggedReason());
        String green = HostileNetwork.send(net.a, ch, Tlp.GREEN, "the real next one");
        assertTrue(TestNodes.eventually(15, () -> net.c.node().envelopes().byHash(green).isPresent()), "the genuine next envelope is accepted");
    }

    @Test
    void twoSignedNoticesForOneSeqAreEquivocation() throws Exception {
        String ch = net.redChannel("equiv");
        SigningKey evilKey = HostileNetwork.keyOf(net.evil);
        String created = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        var head = net.evil.node().envelopes().head(ch, HostileNetwork.EVIL).orElseThrow();
        long seq = head.seq() + 1;
        var one = new WithheldNotice(ch, HostileNetwork.EVIL, seq, head.hash(), "01".repeat(32), created, List.of("cert-b.example"), null).sign(evilKey);
        var two = new WithheldNotice(ch, HostileNetwork.EVIL, seq, head.hash(), "02".repeat(32), created, List.of("cert-b.example"), null).sign(evilKey);
        var r1 = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", one.canonical().getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r1.statusCode(), r1.body());
        var r2 = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", two.canonical().getBytes(StandardCharsets.UTF_8));
        assertEquals(409, r2.statusCode(), r2.body());
        assertTrue(r2.body().contains("equivocation"), r2.body());
        assertNotNull(net.c.node().parties().find(HostileNetwork.EVIL).orElseThrow().flaggedReason());
        // a notice to a named recipient is refused: the recipient must get the envelope, not a stand-in
        var toB = new WithheldNotice(ch, HostileNetwork.EVIL, seq, head.hash(), "03".repeat(32), created, List.of("cert-b.example"), null).sign(evilKey);
        var r3 = HostileNetwork.rawPost(net.b, "/federation/v1/inbox", "application/json", toB.canonical().getBytes(StandardCharsets.UTF_8));
        assertEquals(422, r3.statusCode(), r3.body());
        assertTrue(net.b.node().envelopes().link(ch, HostileNetwork.EVIL, seq).isEmpty());
    }

    @Test
    void redNotNamingTheReceiverIsRefusedAndNotKept() throws Exception {
        String ch = net.redChannel("direct");
        String secret = "red-direct-" + UUID.randomUUID();
        ObjectNode body = Json.object().put("text", secret);
        body.putArray("recipients").add("cert-b.example");
        Envelope e = HostileNetwork.craft(net.evil, ch, Kind.NOTIFY, null, Tlp.RED, body);
        var res = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", Json.write(e.toJson()).getBytes(StandardCharsets.UTF_8));
        assertEquals(403, res.statusCode(), res.body());
        assertTrue(res.body().contains("not-recipient"), res.body());
        assertFalse(everything(net.c).contains(secret), "not even in the rejection record");
        ObjectNode none = Json.object().put("text", "red without recipients");
        Envelope bare = HostileNetwork.craft(net.evil, ch, Kind.NOTIFY, null, Tlp.RED, none);
        var res2 = HostileNetwork.rawPost(net.b, "/federation/v1/inbox", "application/json", Json.write(bare.toJson()).getBytes(StandardCharsets.UTF_8));
        assertEquals(400, res2.statusCode(), res2.body());
        assertTrue(res2.body().contains("recipients"), res2.body());
    }

    // --- evidence -----------------------------------------------------------------------------------------------

    @Test
    void redEvidenceByHashNeverReachesNonRecipients() throws Exception {
        String ch = net.redChannel("evid");
        String ip = "198.51.100." + (10 + new java.util.Random().nextInt(200));
        // marked GREEN by its author, but carried only by a RED message: it is RED for everyone the message is not for
        ObjectNode bundle = bundle(indicator(Tlp.GREEN, ip));
        var up = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/evidence?tlp=red"))
                .header("Authorization", TestNodes.basicAuth()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(bundle))).build());
        assertTrue(up.statusCode() == 201 || up.statusCode() == 200, up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        net.a.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", Instant.now());
        ObjectNode req = Json.object().put("kind", "notify").put("tlp", "red");
        ObjectNode b = req.putObject("body").put("text", "see attached");
        b.putArray("recipients").add("cert-b.example");
        b.putArray("evidence").addObject().put("sha256", sha);
        var sent = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/channels/" + ch + "/messages"))
                .header("Authorization", basic("boss")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(req))).build());
        assertEquals(201, sent.statusCode(), sent.body());
        String hash = Json.parse(sent.body()).path("hash").asText();
        for (NodeServer peer : List.of(net.c, net.evil)) {
            String path = "/federation/v1/evidence/" + sha + "?envelope=" + hash;
            URI target = URI.create(net.a.baseUrl() + path);
            var res = TestNodes.send(PeerRequestAuth.sign(HttpRequest.newBuilder(target).GET(), "GET", target, new byte[0], HostileNetwork.keyOf(peer),
                    Instant.now()).build());
            assertTrue(res.statusCode() == 404 || res.statusCode() == 403, peer.node().origin() + ": " + res.statusCode() + " " + res.body());
            assertFalse(res.body().contains(ip), res.body());
        }
        // the named recipient fetches it
        assertTrue(TestNodes.eventually(20, () -> everything(net.b).contains(ip)), "cert-b fetched the evidence");
        assertFalse(everything(net.c).contains(ip));
    }

    // --- local read paths ---------------------------------------------------------------------------------------

    @Test
    void officerWithoutGrantSeesNoRedContentAnywhereAndWithAGrantSeesIt() throws Exception {
        String ch = net.redChannel("read");
        String secret = "red-read-" + UUID.randomUUID();
        String ip = "203.0.113." + (10 + new java.util.Random().nextInt(200));
        ObjectNode open = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "red");
        ObjectNode body = open.putObject("body").put("type", "trace").put("summary", secret + " summary").put("asked", secret + " asked")
                .put("text", secret + " text");
        body.putArray("recipients").add("cert-b.example");
        // inline STIX, marked GREEN by its author: RED as part of a RED message
        net.a.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", Instant.now());
        var opened = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/channels/" + ch + "/cases"))
                .header("Authorization", basic("boss")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(open))).build());
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        String hash = Json.parse(opened.body()).path("events").get(0).path("hash").asText();
        ObjectNode withStix = Json.object().put("kind", "update").put("tlp", "red").put("case", caseId);
        ObjectNode sb = withStix.putObject("body").put("text", secret + " update");
        sb.putArray("recipients").add("cert-b.example");
        sb.set("stix", bundle(indicator(Tlp.GREEN, ip)));
        var upd = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/channels/" + ch + "/messages"))
                .header("Authorization", basic("boss")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(withStix))).build());
        String updHash = upd.statusCode() == 201 ? Json.parse(upd.body()).path("hash").asText() : null;
        assertTrue(TestNodes.eventually(15, () -> net.b.cases().timeline(caseId).isPresent()));
        if (updHash != null) assertTrue(TestNodes.eventually(15, () -> net.b.node().envelopes().byHash(updHash).isPresent()));
        assertTrue(TestNodes.eventually(20, () -> everything(net.b).contains(secret)));
        String collection = io.parley.taxii.CollectionIds.ofChannel(ch);
        List<String> api = List.of("/api/v1/envelopes/" + hash, "/api/v1/channels/" + ch + "/envelopes", "/api/v1/cases", "/api/v1/cases/" + caseId,
                "/api/v1/cases?channel=" + ch, "/api/v1/equivocations", "/api/v1/reports/responsiveness?channel=" + ch,
                "/api/v1/correlations/indicator?type=ipv4&value=" + ip, "/api/v1/cases/" + caseId + "/correlations",
                "/taxii2/api/collections/" + collection + "/objects/", "/taxii2/api/collections/" + collection + "/manifest/");
        List<String> web = List.of("/", "/cases/" + caseId, "/channels/" + ch, "/channels/" + ch + "/report.csv", "/cases/" + caseId + "/evidence");

        // the duty officer (role officer, no grant) on the recipient's node
        for (String p : api) {
            var res = get(net.b, p, TestNodes.USER);
            assertTrue(res.statusCode() < 500, p + " " + res.statusCode());
            assertFalse(res.body().contains(secret), "RED text on " + p + ": " + res.body());
            // (the indicator query echoes the value asked for; what must not show is where it was seen)
            if (p.contains("/correlations/indicator")) assertEquals(0, Json.parse(res.body()).path("sightings").size(), res.body());
            else assertFalse(res.body().contains(ip), "RED evidence on " + p);
        }
        var shown = Json.parse(get(net.b, "/api/v1/cases/" + caseId, TestNodes.USER).body());
        assertEquals("request", shown.path("kind").asText(), "the case's metadata shows");
        assertFalse(shown.path("ack_due").asText().isEmpty(), "and its deadlines");
        assertTrue(shown.path("envelopes").get(0).path("content_withheld").asBoolean());
        for (String p : web) {
            var res = get(net.b, p, TestNodes.USER);
            assertEquals(200, res.statusCode(), p);
            assertFalse(res.body().contains(secret), "RED text on web page " + p);
        }
        assertTrue(get(net.b, "/cases/" + caseId, TestNodes.USER).body().contains(caseId), "the case page exists for the officer");
        var export = get(net.b, "/api/v1/cases/" + caseId + "/evidence", TestNodes.USER);
        assertEquals(403, export.statusCode(), export.body());
        assertFalse(export.body().contains(secret));
        var webExport = get(net.b, "/cases/" + caseId + "/bundle", TestNodes.USER);
        assertEquals(403, webExport.statusCode(), "the web UI's download follows the same rule: " + webExport.body());
        assertFalse(webExport.body().contains(secret));
        var evidencePage = get(net.b, "/cases/" + caseId + "/evidence", TestNodes.USER);
        assertEquals(200, evidencePage.statusCode(), evidencePage.body());
        assertFalse(evidencePage.body().contains(ip), "the evidence page holds back the RED message's objects");

        // the same officer, granted RED for the channel by an admin
        var grant = TestNodes.send(HttpRequest.newBuilder(URI.create(net.b.baseUrl() + "/api/v1/red-grants/" + TestNodes.USER))
                .header("Authorization", basic("boss")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"" + ch + "\"]}")).build());
        assertEquals(200, grant.statusCode(), grant.body());
        try {
            assertTrue(get(net.b, "/api/v1/envelopes/" + hash, TestNodes.USER).body().contains(secret));
            assertTrue(get(net.b, "/api/v1/cases/" + caseId, TestNodes.USER).body().contains(secret + " summary"));
            assertTrue(get(net.b, "/api/v1/cases", TestNodes.USER).body().contains(secret + " summary"));
            assertTrue(get(net.b, "/cases/" + caseId, TestNodes.USER).body().contains(secret + " asked"));
            var granted = get(net.b, "/api/v1/cases/" + caseId + "/evidence", TestNodes.USER);
            assertEquals(200, granted.statusCode(), granted.body());
            assertTrue(granted.body().contains(secret));
            var webGranted = get(net.b, "/cases/" + caseId + "/bundle", TestNodes.USER);
            assertEquals(200, webGranted.statusCode(), webGranted.body());
            assertTrue(webGranted.body().contains(secret));
            if (updHash != null) {
                assertTrue(TestNodes.eventually(20, () -> {
                    try {
                        return get(net.b, "/cases/" + caseId + "/evidence", TestNodes.USER).body().contains(ip);
                    } catch (Exception e) {
                        return false;
                    }
                }), "the evidence page shows the RED message's objects once granted");
                assertTrue(TestNodes.eventually(20, () -> {
                    try {
                        return get(net.b, "/taxii2/api/collections/" + collection + "/objects/", TestNodes.USER).body().contains(ip);
                    } catch (Exception e) {
                        return false;
                    }
                }), "TAXII shows the RED message's evidence to a granted user");
            }
        } finally {
            TestNodes.send(HttpRequest.newBuilder(URI.create(net.b.baseUrl() + "/api/v1/red-grants/" + TestNodes.USER))
                    .header("Authorization", basic("boss")).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[]}")).build());
        }
    }

    @Test
    void caseBundlesStillVerifyAcrossWithheldLinksAndNoticeReceipts() throws Exception {
        String ch = net.redChannel("export");
        String secret = "red-export-" + UUID.randomUUID();
        // a GREEN case from cert-a whose chain segment spans a RED message withheld from mfa-c
        var opened = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"summary\":\"green case\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        String red = sendRed(ch, secret);
        var update = TestNodes.post(net.a, "/api/v1/cases/" + caseId + "/update", "{\"text\":\"still green\"}");
        assertEquals(200, update.statusCode(), update.body());
        assertTrue(TestNodes.eventually(15, () -> net.c.cases().timeline(caseId).map(t -> t.events().size() == 2).orElse(false)));
        // the log checkpoints what it received within moments; a bundle proves only what a checkpoint covers
        assertTrue(TestNodes.eventually(10, () -> {
            try {
                return io.parley.bundle.CaseBundleVerifier.verify(Json.parse(get(net.c, "/api/v1/cases/" + caseId + "/evidence", TestNodes.USER).body())).valid();
            } catch (Exception e) {
                return false;
            }
        }));
        var atC = get(net.c, "/api/v1/cases/" + caseId + "/evidence", TestNodes.USER);
        assertEquals(200, atC.statusCode(), atC.body());
        assertFalse(atC.body().contains(secret));
        JsonNode bundle = Json.parse(atC.body());
        assertEquals(red, bundle.path("withheld").get(0).path("hash").asText(), "the notice bridges cert-a's segment");
        var report = io.parley.bundle.CaseBundleVerifier.verify(bundle);
        assertTrue(report.valid(), report.checks().stream().filter(c -> !c.ok()).toList().toString());
        // the sender's bundle of a RED case carries the non-recipients' receipts for the hash, and verifies
        ObjectNode open = Json.object().put("kind", "notify").put("tlp", "red");
        open.putObject("body").put("summary", secret).putArray("recipients").add("cert-b.example");
        net.a.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", Instant.now());
        var redCase = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/channels/" + ch + "/cases"))
                .header("Authorization", basic("boss")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(open))).build());
        assertEquals(201, redCase.statusCode(), redCase.body());
        String redCaseId = Json.parse(redCase.body()).path("id").asText();
        String redHash = Json.parse(redCase.body()).path("events").get(0).path("hash").asText();
        assertTrue(TestNodes.eventually(15, () -> net.a.federation().outbox().forEnvelope(redHash).stream().allMatch(x -> x.state().equals("delivered"))));
        HttpRequest exportAsBoss = HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/cases/" + redCaseId + "/evidence"))
                .header("Authorization", basic("boss")).GET().build();
        assertTrue(TestNodes.eventually(10, () -> {
            try {
                return io.parley.bundle.CaseBundleVerifier.verify(Json.parse(TestNodes.send(exportAsBoss).body())).valid();
            } catch (Exception e) {
                return false;
            }
        }));
        var atA = TestNodes.send(exportAsBoss);
        assertEquals(200, atA.statusCode(), atA.body());
        JsonNode redBundle = Json.parse(atA.body());
        long forRed = java.util.stream.StreamSupport.stream(redBundle.path("receipts").spliterator(), false)
                .filter(r -> r.path("envelope").asText().equals(redHash)).count();
        assertEquals(3, forRed, "cert-b's for the envelope, mfa-c's and evil's for its hash");
        var redReport = io.parley.bundle.CaseBundleVerifier.verify(redBundle);
        assertTrue(redReport.valid(), redReport.checks().stream().filter(c -> !c.ok()).toList().toString());
        assertEquals(403, get(net.a, "/api/v1/cases/" + redCaseId + "/evidence", TestNodes.USER).statusCode(), "not for an officer without a grant");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(NodeServer n, String path, String user) throws Exception {
        String[] auth = io.parley.testing.WebSessions.webPage(path)
                ? new String[] {"Cookie", io.parley.testing.WebSessions.signIn(n, user, TestNodes.PASSWORD)}
                : new String[] {"Authorization", basic(user)};
        return TestNodes.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header(auth[0], auth[1])
                .header("Accept", path.startsWith("/taxii2/") ? "application/taxii+json;version=2.1" : "*/*").GET().build());
    }

    private static byte[] seedOf(SigningKey k) throws Exception {
        var f = SigningKey.class.getDeclaredField("privateKey");
        f.setAccessible(true);
        return ((org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters) f.get(k)).getEncoded();
    }

    static ObjectNode indicator(Tlp tlp, String ip) {
        ObjectNode o = Json.object();
        o.put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + UUID.randomUUID());
        o.put("created", "2024-01-01T00:00:00.000Z").put("modified", "2024-01-02T00:00:00.000Z").put("name", "C2 " + ip);
        o.putArray("indicator_types").add("malicious-activity");
        o.put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix").put("valid_from", "2024-01-01T00:00:00.000Z");
        o.putArray("object_marking_refs").add(io.parley.evidence.WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    static ObjectNode bundle(ObjectNode... objects) {
        ObjectNode b = Json.object().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        var arr = b.putArray("objects");
        for (ObjectNode o : objects) arr.add(o);
        return b;
    }
}
