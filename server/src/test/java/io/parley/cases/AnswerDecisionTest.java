package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.auth.Passwords;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.ReasonCode;

/**
 * The two-stage answer across three real nodes sharing a fake clock: b and c acknowledge a's requests with a decision
 * through the API, the decision travels to a and shows in its case JSON, moves or stops deadlines, escalations and
 * the report; bad decisions are refused before they are signed.
 */
class AnswerDecisionTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b, c;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        c = TestNodes.start(tmp, "mfa-c.example", null, clock);
        TestNodes.peerAll(a, b, c);
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, a, b, c), a, b, c); // flash: ack 15 min, answer 4 h
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    String openRequest(String summary) throws Exception {
        var res = TestNodes.post(a, "/api/v1/channels/tri/cases", Json.write(Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber")
                .set("body", Json.object().put("type", "trace").put("summary", summary).put("asked", "Who holds 203.0.113.7?"))));
        assertEquals(201, res.statusCode(), res.body());
        String id = Json.parse(res.body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent() && c.cases().timeline(id).isPresent()));
        return id;
    }

    JsonNode response(NodeServer at, String id, String party) throws Exception {
        for (JsonNode r : Json.parse(TestNodes.get(at, "/api/v1/cases/" + id).body()).path("responses")) {
            if (r.path("party").asText().equals(party)) return r;
        }
        return null;
    }

    boolean decided(NodeServer at, String id, String party, String decision) {
        return at.cases().timeline(id).map(t -> t.responses().containsKey(party) && t.responses().get(party).decision() != null
                && t.responses().get(party).decision().choice().wire().equals(decision)).orElse(false);
    }

    @Test
    void declineTravelsToTheOpenerStopsTheDeadlineAndADeferHoldsTheEscalation() throws Exception {
        String id = openRequest("Botnet C2 at 203.0.113.7");
        clock.advance(Duration.ofMinutes(5));
        var declined = TestNodes.post(b, "/api/v1/cases/" + id + "/ack",
                "{\"decision\":\"decline\",\"reason\":\"Адрес не в нашей юрисдикции\",\"lang\":\"ru\",\"reason_code\":\"outside-jurisdiction\"}");
        assertEquals(200, declined.statusCode(), declined.body());
        String until = clock.instant().plus(Duration.ofHours(8)).toString();
        var deferred = TestNodes.post(c, "/api/v1/cases/" + id + "/ack",
                "{\"decision\":\"defer\",\"until\":\"" + until + "\",\"reason\":\"The prosecutor decides on Monday\",\"lang\":\"en\",\"reason_code\":\"needs-higher-level\"}");
        assertEquals(200, deferred.statusCode(), deferred.body());
        assertTrue(TestNodes.eventually(10, () -> decided(a, id, "cert-b.example", "decline") && decided(a, id, "mfa-c.example", "defer")));

        JsonNode rb = response(a, id, "cert-b.example");
        assertEquals("decline", rb.path("decision").asText());
        assertEquals("Адрес не в нашей юрисдикции", rb.path("reason").asText(), "the original text, in UTF-8, as signed");
        assertEquals("ru", rb.path("lang").asText());
        assertEquals("outside-jurisdiction", rb.path("reason_code").asText());
        assertEquals("declined", rb.path("answer_status").asText());
        JsonNode rc = response(a, id, "mfa-c.example");
        assertEquals(until, rc.path("until").asText());
        assertEquals(until, rc.path("answer_due").asText(), "c's own deadline moved to its until");

        // past the charter's 4 hours: b declined, c deferred: nothing is missed and nothing escalates
        clock.advance(Duration.ofHours(5));
        for (NodeServer n : List.of(a, b, c)) n.deadlines().tick();
        JsonNode view = Json.parse(TestNodes.get(a, "/api/v1/cases/" + id).body());
        assertEquals("pending", view.path("answer_status").asText());
        assertEquals("declined", response(a, id, "cert-b.example").path("answer_status").asText());
        assertEquals("pending", response(a, id, "mfa-c.example").path("answer_status").asText());
        assertEquals(0, count(a, id, Kind.ESCALATE), "a defer in time holds the escalation");

        // past c's until: c's answer is missed and the ladder starts from its until
        clock.advance(Duration.ofHours(4));
        a.deadlines().tick();
        assertEquals("missed", Json.parse(TestNodes.get(a, "/api/v1/cases/" + id).body()).path("answer_status").asText());
        var escalations = a.node().envelopes().inCase("tri", id).stream().filter(s -> s.envelope().kind() == Kind.ESCALATE
                && s.envelope().from().equals("cert-a.example")).toList();
        assertFalse(escalations.isEmpty(), "the ladder fired once c's own deadline passed");
        assertEquals(until, escalations.get(0).envelope().body().path("due").asText(), "escalated from c's until");

        // the report, the same on both sides: declined is counted as declined, never as a missed answer
        String q = "/api/v1/reports/responsiveness?channel=tri&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z";
        for (NodeServer n : List.of(a, b)) {
            JsonNode report = Json.parse(TestNodes.get(n, q).body());
            JsonNode pb = row(report, "cert-b.example"), pc = row(report, "mfa-c.example");
            assertEquals(1, pb.path("declined").asInt());
            assertEquals(0, pb.path("answer_missed").asInt(), "a request declined in time is not a missed answer");
            assertEquals(1, pc.path("deferred").asInt());
            assertEquals(1, pc.path("answer_missed").asInt());
            assertEquals(0, pb.path("accepted").asInt());
        }
        String csv = TestNodes.get(a, q + "&format=csv").body();
        // the decision columns, the clock findings, then the exercise split (figures) and contacts_overdue_since
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",accepted,declined,deferred,clock_findings,figures,contacts_overdue_since"), csv);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("tri,cert-b.example,") && l.endsWith(",0,1,0,0,real,")), csv);
    }

    @Test
    void everyPartyDecliningMakesTheCaseDeclinedAndAPlainAckStillAccepts() throws Exception {
        String id = openRequest("Phishing kit hosted in your AS");
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + id + "/ack", "{\"decision\":\"decline\",\"reason_code\":\"duplicate\"}").statusCode());
        assertEquals(200, TestNodes.post(c, "/api/v1/cases/" + id + "/ack", "{\"decision\":\"decline\",\"reason\":\"Not ours\",\"lang\":\"en\"}").statusCode());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.state().wire().equals("declined")).orElse(false)));
        // the list reads the cases table, which the node refreshes right after storing the envelope: wait for it too
        JsonNode[] declined = new JsonNode[1];
        assertTrue(TestNodes.eventually(10, () -> {
            try {
                return (declined[0] = Json.parse(TestNodes.get(a, "/api/v1/cases?state=declined").body())).size() > 0;
            } catch (Exception e) {
                return false;
            }
        }));
        JsonNode listed = declined[0];
        assertEquals(id, listed.get(0).path("id").asText(), "the state is in the case list and filters it");
        assertEquals("declined", listed.get(0).path("deadlines").path("answer").path("status").asText());

        String other = openRequest("Second one");
        var plain = TestNodes.post(b, "/api/v1/cases/" + other + "/ack", "{\"text\":\"On it\"}"); // a caller from before decisions
        assertEquals(200, plain.statusCode(), plain.body());
        assertTrue(TestNodes.eventually(10, () -> decided(a, other, "cert-b.example", "accept")));
        var envelope = b.node().envelopes().inCase("tri", other).stream().filter(s -> s.envelope().kind() == Kind.ACK).findFirst().orElseThrow();
        assertEquals("accept", envelope.envelope().body().path("decision").asText(), "signed as an explicit accept");
    }

    @Test
    void illFormedDecisionsAreRefusedWithProblemJsonBeforeAnythingIsSigned() throws Exception {
        String id = openRequest("Scan from your range");
        long before = b.node().envelopes().inCase("tri", id).size();
        String past = clock.instant().minus(Duration.ofHours(1)).toString();
        List<String[]> bad = List.of(
                new String[] {"{\"decision\":\"surrender\"}", "/body/decision"},
                new String[] {"{\"decision\":\"defer\"}", "/body/until"},
                new String[] {"{\"decision\":\"defer\",\"until\":\"" + past + "\"}", "/body/until"},
                new String[] {"{\"decision\":\"defer\",\"until\":\"next week\"}", "/body/until"},
                new String[] {"{\"decision\":\"decline\"}", "/body/reason"},
                new String[] {"{\"decision\":\"decline\",\"reason_code\":\"its-friday\"}", "/body/reason_code"},
                new String[] {"{\"decision\":\"decline\",\"reason\":\"no\"}", "/body/lang"},
                new String[] {"{\"decision\":\"accept\",\"until\":\"2027-01-01T00:00:00Z\"}", "/body/until"},
                new String[] {"{\"decision\":[\"decline\"]}", "/body/decision"});
        for (String[] x : bad) {
            var res = TestNodes.post(b, "/api/v1/cases/" + id + "/ack", x[0]);
            assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, x[0] + " -> " + res.statusCode() + " " + res.body());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), x[0]);
            assertTrue(res.body().contains(x[1]), x[0] + " names " + x[1] + ": " + res.body());
        }
        var own = TestNodes.post(a, "/api/v1/cases/" + id + "/ack", "{\"decision\":\"decline\",\"reason_code\":\"duplicate\"}");
        assertEquals(409, own.statusCode(), "the opener does not decide on its own request: " + own.body());
        assertEquals(before, b.node().envelopes().inCase("tri", id).size(), "nothing was signed");
        assertEquals(before, a.node().envelopes().inCase("tri", id).size());
    }

    @Test
    void theAckRouteNeedsASignedInOfficerAndTheReasonCodesArePublished() throws Exception {
        String id = openRequest("Leaked credentials");
        var anonymous = TestNodes.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/api/v1/cases/" + id + "/ack"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"decline\",\"reason_code\":\"duplicate\"}")).build());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        b.node().users().put("watcher", Passwords.hash("viewer-password-1"), "viewer", clock.instant());
        String viewer = "Basic " + Base64.getEncoder().encodeToString("watcher:viewer-password-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var viewed = TestNodes.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/api/v1/cases/" + id + "/ack")).header("Authorization", viewer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"decline\",\"reason_code\":\"duplicate\"}")).build());
        assertEquals(403, viewed.statusCode(), viewed.body());
        assertTrue(b.cases().timeline(id).orElseThrow().responses().isEmpty(), "neither refused call acknowledged anything");

        var codes = TestNodes.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/api/v1/reason-codes")).header("Authorization", viewer).GET().build());
        assertEquals(200, codes.statusCode(), "a viewer reads the published list");
        List<String> listed = new ArrayList<>();
        Json.parse(codes.body()).forEach(x -> listed.add(x.path("code").asText()));
        List<String> shipped = java.util.Arrays.stream(ReasonCode.values()).map(ReasonCode::wire).toList();
        assertEquals(shipped, listed);
        JsonNode openapi = Json.parse(TestNodes.get(b, "/api/v1/openapi.json").body());
        List<String> documented = new ArrayList<>();
        openapi.path("components").path("schemas").path("AckDecision").path("properties").path("reason_code").path("enum").forEach(x -> documented.add(x.asText()));
        assertEquals(shipped, documented, "openapi.json documents the same list");
        assertTrue(openapi.path("paths").has("/api/v1/reason-codes"));
        var anonymousCodes = TestNodes.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/api/v1/reason-codes")).GET().build());
        assertEquals(401, anonymousCodes.statusCode());
    }

    static int count(NodeServer n, String id, Kind kind) {
        return (int) n.node().envelopes().inCase("tri", id).stream().filter(s -> s.envelope().kind() == kind).count();
    }

    static JsonNode row(JsonNode report, String party) {
        for (JsonNode r : report.path("parties")) if (r.path("party").asText().equals(party)) return r;
        throw new AssertionError("no row for " + party + " in " + report);
    }
}
