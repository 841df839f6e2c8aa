package io.parley.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * Commitments in the charter, incident categories and preservation holds, end to end on two real nodes: what the
 * API refuses before signing, what a dishonest member's signed envelope can and cannot change, the report's figures,
 * the reminders, and the offline verifier's recomputation.
 */
class CaseNormsTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    private static Practice commitments(String... ids) {
        List<Practice.Commitment> cs = new java.util.ArrayList<>();
        for (String id : ids) cs.add(id.startsWith("free:") ? new Practice.Commitment(id, "No interference in each other's elections") : new Practice.Commitment(id, null));
        return new Practice(null, cs, null, List.of());
    }

    private Charter establish() throws Exception {
        Charter c = TestNodes.charter("line", Tlp.AMBER, a, b).withPractice(commitments("un-gge-2015:13f", "budapest:29", "free:elections"));
        TestNodes.establish(c, a, b);
        return c;
    }

    private HttpResponse<String> open(NodeServer n, ObjectNode body) throws Exception {
        return TestNodes.post(n, "/api/v1/channels/line/cases", Json.write(Json.object().put("kind", "request").put("priority", "routine").set("body", body)));
    }

    private static ObjectNode request(String summary) {
        return Json.object().put("type", "mitigation").put("summary", summary).put("asked", "Take the C2 down");
    }

    private static ObjectNode preservation() {
        return Json.object().put("type", "preservation").put("summary", "Preserve logs of the C2 host").put("asked", "Preserve and confirm")
                .put("data", "Netflow and authentication logs of 192.0.2.10, 2026-11-20 to 2026-11-23")
                .set("identifiers", Json.MAPPER.createArrayNode().add(Json.object().put("type", "ipv4").put("value", "192.0.2.10")));
    }

    private static String pointer(HttpResponse<String> res) {
        return Json.parse(res.body()).path("errors").path(0).path("pointer").asText();
    }

    private JsonNode caseAt(NodeServer n, String id) throws Exception {
        return Json.parse(TestNodes.get(n, "/api/v1/cases/" + id).body());
    }

    private static long reminders(NodeServer n, String id, String lead) {
        return n.notifier().sent(id).stream().filter(s -> s.method().equals("log") && s.subject().contains("preservation hold ends") && s.subject().contains(lead)).count();
    }

    private static HttpResponse<String> anonymous(NodeServer n, String path) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).GET().build());
    }

    @Test
    void catalogueIsServedAndChartersMayListOnlyItsIdsOrFreeFormOnes() throws Exception {
        assertEquals(401, anonymous(a, "/api/v1/commitments").statusCode());
        assertEquals(401, anonymous(a, "/api/v1/taxonomy").statusCode());
        JsonNode cat = Json.parse(TestNodes.get(a, "/api/v1/commitments").body());
        assertEquals(40, cat.path("commitments").size());
        assertEquals("budapest:29", cat.path("commitments").get(11 + 16 + 6).path("id").asText());
        JsonNode tax = Json.parse(TestNodes.get(a, "/api/v1/taxonomy").body());
        assertTrue(tax.path("categories").findValuesAsText("code").contains("connectivity/shutdown"));

        Charter bad = TestNodes.charter("line", Tlp.AMBER, a, b).withPractice(commitments("osce-cbm:3", "un-gge-2015:13z"));
        var res = TestNodes.post(a, "/api/v1/channels", Json.write(bad.toJson()));
        assertEquals(400, res.statusCode(), res.body());
        assertEquals("/commitments/1", pointer(res));
        assertTrue(res.body().contains("un-gge-2015:13z"), res.body());
        assertTrue(a.node().channels().charter("line").isEmpty(), "nothing was proposed");

        establish();
        JsonNode view = Json.parse(TestNodes.get(b, "/api/v1/channels/line").body());
        assertEquals("13(f) No harm to critical infrastructure", view.path("commitments").get(0).path("title").asText());
        assertEquals("No interference in each other's elections", view.path("commitments").get(2).path("title").asText());
        assertTrue(view.path("commitments").get(2).path("free_form").asBoolean());
    }

    @Test
    void requestsCiteCharterCommitmentsAndCategoriesAndTheReportCountsThem() throws Exception {
        establish();
        ObjectNode cites = request("C2 against the grid").put("category", "availability/ddos");
        cites.putArray("commitments").add("un-gge-2015:13f");
        var uncharted = open(a, request("x").set("commitments", Json.MAPPER.createArrayNode().add("osce-cbm:3")));
        assertEquals(400, uncharted.statusCode(), uncharted.body());
        assertEquals("/body/commitments/0", pointer(uncharted));
        var unknownCategory = open(a, request("x").put("category", "availability/everything"));
        assertEquals(400, unknownCategory.statusCode());
        assertEquals("/body/category", pointer(unknownCategory));
        var loneTechnique = open(a, request("x").put("category", "availability/ddos").put("disarm_technique", "T0019"));
        assertEquals(400, loneTechnique.statusCode());
        assertEquals("/body/disarm_technique", pointer(loneTechnique));

        var first = open(a, cites.deepCopy());
        assertEquals(201, first.statusCode(), first.body());
        String answered = Json.parse(first.body()).path("id").asText();
        String ignored = Json.parse(open(a, cites.deepCopy().put("summary", "second")).body()).path("id").asText();
        ObjectNode io = request("Leak of ministry mail").put("category", "influence-operation/hack-and-leak").put("disarm_technique", "T0019");
        assertEquals(201, open(a, io).statusCode());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(answered).isPresent() && b.cases().timeline(ignored).isPresent()));
        assertTrue(Json.parse(TestNodes.get(b, "/api/v1/cases?channel=line").body()).findValuesAsText("category").contains("availability/ddos"), "the case list shows categories");
        JsonNode seen = caseAt(b, answered);
        assertEquals("availability/ddos", seen.path("category").asText());
        assertEquals("un-gge-2015:13f", seen.path("commitments").get(0).asText());

        // a dishonest member signs a request citing a commitment the charter does not list: on record, ignored
        Instant now = clock.instant();
        ObjectNode forged = request("forged citation").put("category", "availability/ddos");
        forged.putArray("commitments").add("osce-cbm:3").add("un-gge-2015:13f");
        String forgedId = CaseIds.newId(b.node().origin(), now);
        assertInstanceOf(Verdict.Accepted.class, b.node().composer().compose(new Composer.Draft("line", Kind.REQUEST, forgedId, Priority.ROUTINE, Tlp.AMBER, forged)));
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(forgedId).isPresent()));
        assertEquals(List.of("un-gge-2015:13f"), a.cases().timeline(forgedId).orElseThrow().norms().commitments());

        ObjectNode preserve = preservation();
        preserve.putArray("commitments").add("budapest:29");
        String declined = Json.parse(open(a, preserve).body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(declined).isPresent()));
        var decline = TestNodes.post(b, "/api/v1/cases/" + declined + "/ack", "{\"decision\": \"decline\", \"reason\": \"Needs a formal request\", \"lang\": \"en\"}");
        assertEquals(200, decline.statusCode(), decline.body());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(declined).map(t -> !t.responses().isEmpty()).orElse(false)));

        clock.advance(Duration.ofHours(1));
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + answered + "/answer", "{\"text\":\"Filtered upstream\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(answered).map(t -> t.answeredAt() != null).orElse(false)));
        clock.advance(Duration.ofHours(4)); // past the 4-hour answer deadline of the other two

        String q = "?channel=line&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z";
        JsonNode report = Json.parse(TestNodes.get(a, "/api/v1/reports/norms" + q).body());
        JsonNode f = report.path("commitments").get(0);
        assertEquals("un-gge-2015:13f", f.path("id").asText());
        assertEquals(3, f.path("requests").asInt(), "a's two and the forged one's charter-listed citation");
        assertEquals(1, f.path("answered_in_time").asInt());
        assertEquals(2, f.path("unanswered").asInt());
        JsonNode art29 = report.path("commitments").get(1);
        assertEquals("budapest:29", art29.path("id").asText());
        assertEquals(1, art29.path("requests").asInt());
        assertEquals(1, art29.path("declined").asInt(), "the declined request counts as declined, not as unanswered");
        assertEquals(0, art29.path("unanswered").asInt());
        JsonNode ddos = report.path("categories").get(0);
        assertEquals("availability/ddos", ddos.path("category").asText());
        assertEquals(3, ddos.path("cases").asInt());
        assertEquals("influence-operation/hack-and-leak", report.path("categories").get(1).path("category").asText());
        assertEquals(report.path("commitments"), Json.parse(TestNodes.get(b, "/api/v1/reports/norms" + q).body()).path("commitments"), "the same on both nodes");
        assertEquals(report.path("commitments"), Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness" + q).body()).path("commitments"));
        String csv = TestNodes.get(a, "/api/v1/reports/norms" + q + "&format=csv").body();
        assertTrue(csv.contains("line,commitment,un-gge-2015:13f,13(f) No harm to critical infrastructure,2026-11-23T00:00:00Z,2026-11-24T00:00:00Z,3,3,1,0,2,0,0"), csv);
        assertTrue(csv.contains("line,category,availability/ddos,"), csv);
    }

    @Test
    void preservationHoldRunsSixtyDaysOnlyTheOpenerExtendsOrReleasesAndRemindersGoOnce() throws Exception {
        establish();
        var tooShort = open(a, preservation().put("hold_days", 30));
        assertEquals(400, tooShort.statusCode(), tooShort.body());
        assertEquals("/body/hold_days", pointer(tooShort));
        var noData = open(a, preservation().put("data", " "));
        assertEquals(400, noData.statusCode());

        var res = open(a, preservation());
        assertEquals(201, res.statusCode(), res.body());
        String id = Json.parse(res.body()).path("id").asText();
        Instant opened = Instant.parse(Json.parse(res.body()).path("opened_at").asText());
        Instant until = opened.plus(Duration.ofDays(60));
        JsonNode hold = caseAt(a, id).path("hold");
        assertEquals(until.toString(), hold.path("until").asText());
        assertEquals("active", hold.path("state").asText());
        assertEquals(60, a.cases().timeline("line", id).orElseThrow().norms().hold().days());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));

        // the requested party may not extend through its node; its forged signed extension changes nothing
        var notOpener = TestNodes.post(b, "/api/v1/cases/" + id + "/update", "{\"hold_extend_days\": 300}");
        assertEquals(403, notOpener.statusCode(), notOpener.body());
        String forged = ((Verdict.Accepted) b.node().composer().compose(new Composer.Draft("line", Kind.UPDATE, id, Priority.ROUTINE, Tlp.AMBER,
                Json.object().put("hold_extend_days", 300)))).hash();
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().byHash(forged).isPresent()), "on record");
        assertEquals(until.toString(), caseAt(a, id).path("hold").path("until").asText());

        clock.advance(Duration.ofDays(10));
        var ext = TestNodes.post(a, "/api/v1/cases/" + id + "/update", "{\"hold_extend_days\": 30, \"text\": \"Still needed\"}");
        assertEquals(200, ext.statusCode(), ext.body());
        Instant extended = until.plus(Duration.ofDays(30));
        assertEquals(extended.toString(), Json.parse(ext.body()).path("hold").path("until").asText());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline("line", id).orElseThrow().norms().hold().until().equals(extended)));
        assertEquals(400, TestNodes.post(a, "/api/v1/cases/" + id + "/update", "{\"hold_until\": \"" + until + "\"}").statusCode(), "no shortening");

        // reminders: once 7 days ahead, once 1 day ahead, whatever restarts or other instances do (the nodes' own
        // deadline workers run too, so the test counts what was sent rather than which call sent it)
        clock.advance(Duration.between(clock.instant(), extended.minus(Duration.ofDays(6))));
        a.deadlines().remindHolds();
        a.deadlines().remindHolds();
        assertEquals(0, new HoldReminders(a.cases(), a.notifier()).tick(clock.instant()), "another instance on the same database sends nothing again");
        assertEquals(1, reminders(a, id, "in 7 days"));
        assertEquals(0, reminders(a, id, "in 1 day"));
        clock.advance(Duration.between(clock.instant(), extended.minus(Duration.ofHours(12))));
        a.deadlines().remindHolds();
        b.deadlines().remindHolds();
        b.deadlines().remindHolds();
        assertEquals(1, reminders(a, id, "in 7 days"));
        assertEquals(1, reminders(a, id, "in 1 day"));
        assertEquals(1, reminders(b, id, "in 7 days"), "b, whether or not it looked during the 7-day window, sends each reminder once");
        assertEquals(1, reminders(b, id, "in 1 day"));

        // the offline verifier recomputes the hold; a bundle claiming another end fails
        JsonNode bundle = Json.parse(TestNodes.get(a, "/api/v1/cases/" + id + "/evidence").body());
        var report = CaseBundleVerifier.verify(bundle);
        assertTrue(report.valid(), report.checks().toString());
        assertTrue(report.checks().stream().anyMatch(c -> c.name().equals("preservation hold") && c.detail().startsWith("active") && c.detail().contains(extended.toString())),
                report.checks().toString());
        ObjectNode tampered = ((ObjectNode) bundle).deepCopy();
        ((ObjectNode) tampered.path("timeline").path("hold")).put("until", extended.plus(Duration.ofDays(300)).toString());
        assertFalse(CaseBundleVerifier.verify(tampered).valid());

        assertEquals(200, TestNodes.post(a, "/api/v1/cases/" + id + "/close", "{}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline("line", id).orElseThrow().norms().hold().releasedAt() != null));
        assertEquals("released", caseAt(b, id).path("hold").path("state").asText());
        assertEquals(0, a.deadlines().remindHolds(), "a released hold reminds no one");
    }

    @Test
    void webFormOpensACategorisedPreservationRequestAndPagesShowCommitmentsHoldAndFigures() throws Exception {
        establish();
        String cookie = WebSessions.signIn(a);
        String form = WebSessions.get(a, cookie, "/channels/line/cases/new").body();
        assertTrue(form.contains("<option value=\"connectivity/shutdown\""), "the category select lists the taxonomy");
        assertTrue(form.contains("value=\"budapest:29\""), "the charter's commitments are offered");
        String csrf = WebSessions.csrf(a, cookie, "/channels/line/cases/new");
        String common = "csrf=" + WebSessions.enc(csrf) + "&kind=request&priority=routine&tlp=amber&type=preservation&summary=" + WebSessions.enc("Keep the logs")
                + "&asked=" + WebSessions.enc("Preserve") + "&category=" + WebSessions.enc("intrusions/system-compromise")
                + "&commitments=" + WebSessions.enc("budapest:29") + "&data=" + WebSessions.enc("Mail server logs") + "&identifiers=" + WebSessions.enc("ipv4: 192.0.2.10");
        var refused = WebSessions.form(a, "/channels/line/cases", cookie, common + "&hold_days=20");
        assertEquals(422, refused.statusCode(), "the web UI answers a refused form with 422, as for every field fault");
        assertTrue(refused.body().contains("aria-invalid=\"true\"") && refused.body().contains("hold_days must be"), refused.body());
        var sent = WebSessions.form(a, "/channels/line/cases", cookie, common + "&hold_days=90");
        assertEquals(303, sent.statusCode(), sent.body());
        String location = sent.headers().firstValue("Location").orElseThrow();
        String id = location.substring("/cases/".length(), location.indexOf('?'));
        var t = a.cases().timeline("line", id).orElseThrow();
        assertEquals("intrusions/system-compromise", t.norms().category());
        assertEquals(List.of("budapest:29"), t.norms().commitments());
        assertEquals(90, t.norms().hold().days());

        String casePage = WebSessions.get(a, cookie, location).body();
        assertTrue(casePage.contains("System compromise") && casePage.contains("Art. 29 Expedited preservation"), casePage);
        assertTrue(casePage.contains("Preservation hold</strong> until") && casePage.contains(io.parley.web.i18n.Texts.english().relative(t.norms().hold().until(), clock.instant())), casePage);
        String channel = WebSessions.get(a, cookie, "/channels/line").body();
        assertTrue(channel.contains("13(f) No harm to critical infrastructure") && channel.contains("No interference in each other"), channel);
        assertTrue(channel.contains("norm-commitment") && channel.contains("norm-category"), "the figures table");
    }
}
