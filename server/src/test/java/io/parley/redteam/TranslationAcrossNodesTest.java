package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.timeline.CourtesyTranslation;

/**
 * Courtesy translations across real nodes: cert-b's translation of cert-a's request shows next to the original on
 * both sides and never replaces it, is carried in the case bundle and checked offline; what an anonymous caller, a
 * viewer and a dishonest member can do with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranslationAcrossNodesTest {
    @TempDir static Path tmp;
    HostileNetwork net;
    static final String VIEWER = "watcher";
    static final String SUMMARY = "Phishing kit imitating our tax portal";
    static final String RU = "Фишинговый набор, имитирующий наш налоговый портал. Просим приостановить хостинг 198.51.100.23.";

    @BeforeAll
    void start() throws Exception {
        net = HostileNetwork.start(tmp);
        for (NodeServer n : net.honest()) n.node().users().put(VIEWER, io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "viewer", Instant.now());
    }

    @AfterAll
    void stop() throws Exception {
        if (net != null) net.close();
    }

    /** A request by cert-a, in English, in a new channel of all four (the exporter's checkpoints need every member's witness); {channel, id, hash}. */
    private String[] request() throws Exception {
        String ch = "tr-" + UUID.randomUUID().toString().substring(0, 8);
        TestNodes.establish(TestNodes.charter(ch, Tlp.AMBER, net.a, net.b, net.c, net.evil), net.a, net.b, net.c, net.evil);
        var opened = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", "{\"kind\":\"request\",\"priority\":\"urgent\",\"tlp\":\"amber\",\"body\":"
                + "{\"type\":\"mitigation\",\"summary\":\"" + SUMMARY + "\",\"asked\":\"Suspend hosting at 198.51.100.23\",\"text\":\"Seen since 06:00 UTC.\",\"lang\":\"en\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        JsonNode c = Json.parse(opened.body());
        String id = c.path("id").asText(), hash = c.path("events").get(0).path("hash").asText();
        for (NodeServer n : net.all()) assertTrue(TestNodes.eventually(15, () -> n.node().envelopes().byHash(hash).isPresent()));
        return new String[] {ch, id, hash};
    }

    private static HttpResponse<String> as(String user, NodeServer n, String path, String json) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return TestNodes.send(b.build());
    }

    private static void assertProblem(HttpResponse<String> res, int status, String code) {
        assertEquals(status, res.statusCode(), res.body());
        if (code != null) assertTrue(Json.parse(res.body()).path("type").asText().endsWith("/" + code), res.body());
    }

    private static String req(String of, String lang, String text) {
        return Json.write(Json.object().put("of", of).put("lang", lang).put("text", text));
    }

    /** The event of envelope {@code hash} in the case JSON of {@code n}. */
    private static JsonNode event(NodeServer n, String id, String hash) throws Exception {
        for (JsonNode e : Json.parse(TestNodes.get(n, "/api/v1/cases/" + id).body()).path("events")) if (e.path("hash").asText().equals(hash)) return e;
        return null;
    }

    private static boolean translated(NodeServer n, String id, String hash, int count) {
        try {
            JsonNode e = event(n, id, hash);
            return e != null && e.path("translations").size() == count;
        } catch (Exception ex) {
            return false;
        }
    }

    private ObjectNode resigned(ObjectNode forged, NodeServer exporter) {
        forged.remove("sig");
        forged.put("sig", Base64.getEncoder().encodeToString(exporter.node().key().sign(Jcs.canonicalize(forged))));
        return forged;
    }

    @Test
    void bsTranslationOfAsRequestShowsBesideTheOriginalOnBothSidesAndVerifiesOffline() throws Exception {
        String[] c = request();
        String id = c[1], original = c[2], path = "/api/v1/cases/" + id + "/translations";
        // an anonymous caller and a viewer sign nothing
        assertProblem(as(null, net.b, path, req(original, "ru", RU)), 401, null);
        assertProblem(as(VIEWER, net.b, path, req(original, "ru", RU)), 403, null);
        // what the rules refuse is a 4xx problem before anything is signed
        assertProblem(TestNodes.post(net.b, path, req(original, "en", "Phishing kit")), 422, "same-language");
        assertProblem(TestNodes.post(net.b, path, req(original, "not a tag", RU)), 422, "invalid-field");
        assertProblem(TestNodes.post(net.b, path, req(original, "ru", "   ")), 422, "invalid-field");
        assertProblem(TestNodes.post(net.b, path, req("0".repeat(64), "ru", RU)), 404, "unknown-envelope");
        // the raw message route and the update action refuse the reserved member: a translation has its own checks
        ObjectNode raw = Json.object().put("kind", "update").put("case", id);
        raw.putObject("body").putObject("translation").put("of", original).put("lang", "en").put("text", "same language, past the checks");
        assertProblem(TestNodes.post(net.b, "/api/v1/channels/" + c[0] + "/messages", Json.write(raw)), 400, "reserved-member");
        assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/update", Json.write(raw.get("body"))), 422, "invalid-field");
        // and so does every other act with its own route: a statement, a withdrawal, contacts, a key card
        for (String act : List.of("statement", "evidence_retracted", "contacts_confirmed", "card")) {
            ObjectNode body = Json.object().put("text", "past the checks");
            body.putObject(act).put("text", "x");
            assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/update", Json.write(body)), 422, "invalid-field");
            assertProblem(TestNodes.post(net.b, "/api/v1/cases/" + id + "/answer", Json.write(body)), 422, "invalid-field");
        }
        long before = net.b.node().envelopes().count();

        var posted = TestNodes.post(net.b, path, req(original, "ru", RU));
        assertEquals(201, posted.statusCode(), posted.body());
        JsonNode x = Json.parse(posted.body());
        assertEquals("cert-b.example", x.path("by").asText(), "attributed to its signer, not to the original's author");
        assertFalse(x.path("authoritative").asBoolean(true));
        assertEquals(before + 1, net.b.node().envelopes().count(), "the refusals above signed nothing");
        // a translation of the translation (no free text of its own) is refused
        assertTrue(TestNodes.eventually(15, () -> net.c.node().envelopes().byHash(x.path("hash").asText()).isPresent()));
        assertProblem(TestNodes.post(net.c, path, req(x.path("hash").asText(), "fr", "traduction")), 422, "no-free-text");

        for (NodeServer n : net.honest()) assertTrue(TestNodes.eventually(15, () -> translated(n, id, original, 1)), "shown at " + n.node().origin());
        JsonNode atA = event(net.a, id, original);
        assertEquals(SUMMARY, atA.path("summary").asText(), "the original stays as written");
        assertEquals(RU, atA.path("translations").get(0).path("text").asText());
        assertEquals("ru", atA.path("translations").get(0).path("lang").asText());
        JsonNode caseAtA = Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id).body());
        assertNull(caseAtA.path("acked_at").textValue(), "a translation acknowledges nothing");
        assertFalse(caseAtA.path("responses").toString().contains("cert-b.example"), caseAtA.path("responses").toString());

        // on the case page at cert-a: the original, and next to it b's translation, marked as not authoritative
        String cookie = WebSessions.signIn(net.a);
        String page = WebSessions.get(net.a, cookie, "/cases/" + id + "?channel=" + c[0]).body();
        assertTrue(page.contains(SUMMARY), "the original is shown");
        assertTrue(page.contains(RU), "the translation is shown");
        assertTrue(page.contains("not authoritative") && page.contains("cert-b.example"), "marked as b's courtesy translation");
        assertTrue(page.indexOf(SUMMARY) < page.indexOf(RU), "beside the original, after it");
        assertTrue(page.contains("Add a courtesy translation"));

        // the bundle carries it; parley verify recomputes it; a tampered translation fails
        JsonNode[] bundle = new JsonNode[1];
        assertTrue(TestNodes.eventually(20, () -> {
            try {
                bundle[0] = Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id + "/evidence").body());
                var report = CaseBundleVerifier.verify(bundle[0]);
                return report.valid() && report.checks().stream().anyMatch(k -> k.name().equals("courtesy translation") && k.detail().contains("[ru] by cert-b.example"));
            } catch (Exception e) {
                return false;
            }
        }), () -> bundle[0] == null ? "no bundle" : CaseBundleVerifier.verify(bundle[0]).checks().toString());
        ObjectNode inEnvelope = bundle[0].deepCopy();
        for (JsonNode e : inEnvelope.path("envelopes")) {
            if (Envelope.fromJson(e).hash().equals(x.path("hash").asText())) ((ObjectNode) e.path("body").path("translation")).put("text", "Просим ничего не делать.");
        }
        assertFalse(CaseBundleVerifier.verify(resigned(inEnvelope, net.a)).valid(), "a translation changed in its envelope must not verify");
        ObjectNode inTimeline = bundle[0].deepCopy();
        for (JsonNode e : inTimeline.path("timeline").path("events")) {
            if (e.has("translations")) ((ObjectNode) e.path("translations").get(0)).put("by", "cert-a.example");
        }
        var claimed = CaseBundleVerifier.verify(resigned(inTimeline, net.a));
        assertFalse(claimed.valid(), "a translation attributed to another party in the timeline must not verify");
        assertTrue(claimed.checks().stream().anyMatch(k -> k.name().equals("case timeline") && !k.ok()), claimed.checks().toString());
        ObjectNode dropped = bundle[0].deepCopy();
        for (JsonNode e : dropped.path("timeline").path("events")) ((ObjectNode) e).remove("translations");
        assertFalse(CaseBundleVerifier.verify(resigned(dropped, net.a)).valid(), "nor one left out of the timeline");
    }

    @Test
    void aDishonestMembersForgedTranslationsAreRefusedOrCountForNothing() throws Exception {
        String[] c = request();
        String ch = c[0], id = c[1], original = c[2];
        String[] other = request();
        // signed by evil's own node (its shape is well formed), but breaking the rules the timeline applies
        ObjectNode[] bodies = {
                translation(other[2], "ru", "перевод сообщения из другого дела и канала"),
                translation(original, "en", "Phishing kit imitating our tax portal (same language)"),
                translation(original, "en-GB", "Phishing kit imitating our tax portal (same language, another region)")};
        for (ObjectNode body : bodies) {
            Verdict v = net.evil.node().composer().compose(new Composer.Draft(ch, Kind.UPDATE, id, Priority.URGENT, Tlp.AMBER, body));
            assertInstanceOf(Verdict.Accepted.class, v, body.toString());
            String hash = ((Verdict.Accepted) v).hash();
            assertTrue(TestNodes.eventually(15, () -> net.a.node().envelopes().byHash(hash).isPresent()), "on record at cert-a");
        }
        // b acknowledges without text: a translation of that ack counts for nothing either
        assertEquals(200, TestNodes.post(net.b, "/api/v1/cases/" + id + "/ack", "{}").statusCode());
        String ack = Json.parse(TestNodes.get(net.b, "/api/v1/cases/" + id).body()).path("events").get(1).path("hash").asText();
        assertTrue(TestNodes.eventually(15, () -> net.evil.node().envelopes().byHash(ack).isPresent()));
        Verdict onAck = net.evil.node().composer().compose(new Composer.Draft(ch, Kind.UPDATE, id, Priority.URGENT, Tlp.AMBER, translation(ack, "ru", "Принято")));
        assertInstanceOf(Verdict.Accepted.class, onAck);
        assertTrue(TestNodes.eventually(15, () -> net.a.node().envelopes().byHash(((Verdict.Accepted) onAck).hash()).isPresent()));
        JsonNode caseAtA = Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id).body());
        for (JsonNode e : caseAtA.path("events")) assertFalse(e.has("translations"), "none counts: " + e);
        assertFalse(caseAtA.path("responses").toString().contains(HostileNetwork.EVIL), "evil's translations are no response: " + caseAtA.path("responses"));

        // crafted by hand and delivered to cert-a's inbox: shapes no node signs are refused and recorded
        ObjectNode claimed = translation(original, "ru", "перевод от имени cert-b");
        ((ObjectNode) claimed.get(CourtesyTranslation.MEMBER)).put("by", "cert-b.example");
        ObjectNode withText = translation(original, "ru", "перевод").put("text", "and a message of its own");
        for (Envelope forged : new Envelope[] {HostileChain.of(net.evil, ch).next(Kind.UPDATE, id, Tlp.AMBER, claimed),
                HostileChain.of(net.evil, ch).next(Kind.ACK, id, Tlp.AMBER, translation(original, "ru", "перевод в подтверждении")),
                HostileChain.of(net.evil, ch).next(Kind.UPDATE, id, Tlp.AMBER, withText),
                HostileChain.of(net.evil, ch).next(Kind.UPDATE, id, Tlp.AMBER, translation(original, "ru", "x".repeat(CourtesyTranslation.MAX_TEXT + 1)))}) {
            JsonNode answer = HostileChain.deliver(net.a, forged);
            assertTrue(answer.path("type").asText().endsWith("/malformed"), forged.body() + " -> " + answer);
        }
        // a translation that claims cert-b as its signer but is signed with evil's key
        var head = net.b.node().envelopes().head(ch, "cert-b.example").orElseThrow();
        Envelope asB = new Envelope(1, ch, "cert-b.example", head.seq() + 1, head.hash(), Kind.UPDATE, id,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), Priority.URGENT, Tlp.AMBER, translation(original, "ru", "подделка"), null);
        Envelope forgedSig = asB.withSig(Base64.getEncoder().encodeToString(HostileNetwork.keyOf(net.evil).sign(asB.signingBytes())));
        JsonNode answer = HostileChain.deliver(net.a, forgedSig);
        assertTrue(answer.path("type").asText().endsWith("/bad-signature"), answer.toString());
        assertFalse(translated(net.a, id, original, 1), "nothing counts at cert-a");
        ArrayNode events = (ArrayNode) Json.parse(TestNodes.get(net.a, "/api/v1/cases/" + id).body()).path("events");
        assertEquals(SUMMARY, events.get(0).path("summary").asText());
    }

    @Test
    void aRedMessageIsTranslatedOnlyByAnAccountThatMayReadItAndTheTranslationStaysRed() throws Exception {
        String ch = net.redChannel("tr-red");
        var opened = TestNodes.post(net.a, "/api/v1/channels/" + ch + "/cases", "{\"kind\":\"request\",\"priority\":\"flash\",\"tlp\":\"red\",\"body\":"
                + "{\"type\":\"trace\",\"summary\":\"Insider at the operator\",\"asked\":\"Who holds account 7\",\"lang\":\"en\",\"recipients\":[\"cert-b.example\"]}}");
        assertEquals(201, opened.statusCode(), opened.body());
        JsonNode c = Json.parse(opened.body());
        String id = c.path("id").asText(), original = c.path("events").get(0).path("hash").asText();
        assertTrue(TestNodes.eventually(15, () -> net.b.node().envelopes().byHash(original).isPresent()));
        for (NodeServer n : net.honest()) n.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", Instant.now());
        String path = "/api/v1/cases/" + id + "/translations?channel=" + ch;
        // the duty officer has no RED grant: it may not read the request, so it may not translate it
        assertProblem(TestNodes.post(net.b, path, req(original, "ru", "Инсайдер у оператора")), 403, "marking-forbids");
        var posted = as("boss", net.b, path, req(original, "ru", "Инсайдер у оператора"));
        assertEquals(201, posted.statusCode(), posted.body());
        String hash = Json.parse(posted.body()).path("hash").asText();
        var signed = net.b.node().envelopes().byHash(hash).orElseThrow().envelope();
        assertEquals(Tlp.RED, signed.tlp(), "marked like the original");
        assertEquals("[\"cert-a.example\"]", Json.write(signed.body().path("recipients")), "addressed to those who hold the original");
        assertTrue(TestNodes.eventually(15, () -> net.a.node().envelopes().byHash(hash).isPresent()));
        assertTrue(net.c.node().envelopes().byHash(hash).isEmpty() && net.evil.node().envelopes().byHash(hash).isEmpty(), "never sent to the others");
        // at cert-a, an admin sees it beside the original; the officer without a grant sees neither
        var asAdmin = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/cases/" + id + "?channel=" + ch))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("boss:" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8))).GET().build());
        assertTrue(asAdmin.body().contains("Инсайдер у оператора"), asAdmin.body());
        String asOfficer = TestNodes.get(net.a, "/api/v1/cases/" + id + "?channel=" + ch).body();
        assertFalse(asOfficer.contains("Инсайдер") || asOfficer.contains("Insider"), asOfficer);
    }

    private static ObjectNode translation(String of, String lang, String text) {
        ObjectNode body = Json.object();
        body.putObject(CourtesyTranslation.MEMBER).put("of", of).put("lang", lang).put("text", text);
        return body;
    }
}
