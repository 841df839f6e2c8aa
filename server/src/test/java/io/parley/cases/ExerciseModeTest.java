package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

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
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/** Exercise mode on two real nodes: labelled everywhere, escalates, counted apart, decided by the opener's opening alone. */
class ExerciseModeTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("drill", Tlp.AMBER, a, b), a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    String open(NodeServer from, String summary, JsonNode exercise) throws Exception {
        ObjectNode body = Json.object().put("type", "information").put("summary", summary).put("asked", "Tell us what you see");
        if (exercise != null) body.set("exercise", exercise);
        var res = TestNodes.post(from, "/api/v1/channels/drill/cases", Json.write(Json.object().put("kind", "request").put("priority", "flash").set("body", body)));
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("id").asText();
    }

    JsonNode listed(NodeServer n, String id) throws Exception {
        for (JsonNode c : Json.parse(TestNodes.get(n, "/api/v1/cases").body())) if (c.path("id").asText().equals(id)) return c;
        return null;
    }

    @Test
    void anExerciseIsLabelledInEveryViewEscalatesAndCountsApart() throws Exception {
        String drill = open(a, "Drill: simulated DDoS", Json.MAPPER.getNodeFactory().booleanNode(true));
        String real = open(a, "Real scan from your AS", null);
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(drill).isPresent() && b.cases().timeline(real).isPresent()));
        for (NodeServer n : List.of(a, b)) {
            JsonNode shown = Json.parse(TestNodes.get(n, "/api/v1/cases/" + drill).body());
            assertTrue(shown.path("exercise").asBoolean(), "detail at " + n.node().origin());
            assertTrue(listed(n, drill).path("exercise").asBoolean(), "list at " + n.node().origin());
            JsonNode realShown = Json.parse(TestNodes.get(n, "/api/v1/cases/" + real).body());
            assertTrue(realShown.get("exercise").isBoolean() && !realShown.get("exercise").booleanValue(), "a real case says false in detail");
            assertFalse(listed(n, real).path("exercise").asBoolean(true), "and in the list");
        }
        // the web page says it in words, on the case and in the dashboard list
        String cookie = WebSessions.signIn(a);
        String page = WebSessions.get(a, cookie, "/cases/" + drill).body();
        assertTrue(page.contains("[EXERCISE]") && page.contains("This case is an exercise"), "banner on the case page");
        assertFalse(WebSessions.get(a, cookie, "/cases/" + real).body().contains("This case is an exercise"));
        String desk = WebSessions.get(a, cookie, "/").body();
        assertTrue(desk.contains("flag-exercise"), "labelled in the dashboard list");

        // b answers neither: both escalate at a alike, and the drill's notification says it is one
        clock.advance(Duration.ofMinutes(20));
        a.deadlines().tick();
        var drillSent = a.notifier().sent(drill);
        assertFalse(drillSent.isEmpty(), "an exercise escalates like the real thing");
        assertTrue(drillSent.stream().allMatch(s -> s.subject().startsWith("[EXERCISE] ")), drillSent.toString());
        assertTrue(a.notifier().sent(real).stream().noneMatch(s -> s.subject().contains("[EXERCISE]")));

        // the report keeps the drill out of the real figures and shows it apart
        String q = "/api/v1/reports/responsiveness?channel=drill&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z";
        JsonNode report = Json.parse(TestNodes.get(a, q).body());
        JsonNode realRow = row(report.path("parties"), "cert-b.example"), drillRow = row(report.path("exercises").path("parties"), "cert-b.example");
        assertEquals(1, realRow.path("requests").asInt());
        assertEquals(1, realRow.path("acknowledgement_missed").asInt());
        assertEquals(1, drillRow.path("requests").asInt());
        assertEquals(1, drillRow.path("acknowledgement_missed").asInt());
        String csv = TestNodes.get(a, q + "&format=csv").body();
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("drill,cert-b.example,") && l.contains(",exercise,")), csv);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("drill,cert-b.example,") && l.contains(",real,")), csv);

        // the bundle says so, and the verifier reads it from the signed opening
        // (once a's log has sequenced the escalations it just signed, so every envelope is proven in a checkpoint)
        assertTrue(TestNodes.eventually(15, () -> CaseBundleVerifier.verify(evidence(a, drill)).valid()));
        JsonNode bundle = evidence(a, drill);
        assertTrue(bundle.path("timeline").path("exercise").asBoolean());
        var verified = CaseBundleVerifier.verify(bundle);
        assertTrue(verified.valid(), verified.checks().toString());
        assertTrue(verified.checks().stream().anyMatch(c -> c.name().equals("exercise") && c.detail().startsWith("[EXERCISE]")));
        assertTrue(TestNodes.eventually(15, () -> CaseBundleVerifier.verify(evidence(a, real)).valid()));
        JsonNode realBundle = evidence(a, real);
        assertFalse(realBundle.path("timeline").has("exercise"), "a real case's bundle keeps the form it always had");
        assertTrue(CaseBundleVerifier.verify(realBundle).checks().stream().noneMatch(c -> c.name().equals("exercise")));

        // a forged label either way is caught by the recomputed timeline, not only by the exporter's signature
        ObjectNode hidden = bundle.deepCopy();
        ((ObjectNode) hidden.get("timeline")).remove("exercise");
        assertCaughtBeyondTheSignature(hidden, "case timeline");
        ObjectNode dressedUp = realBundle.deepCopy();
        ((ObjectNode) dressedUp.get("timeline")).put("exercise", true);
        assertCaughtBeyondTheSignature(dressedUp, "case timeline");
        // and the opening's own flag is under its sender's signature
        ObjectNode edited = realBundle.deepCopy();
        for (JsonNode e : edited.path("envelopes")) if (real.equals(e.path("case").asText()) && e.path("kind").asText().equals("request")) ((ObjectNode) e.get("body")).put("exercise", true);
        assertFalse(CaseBundleVerifier.verify(edited).checks().stream().filter(c -> !c.ok()).allMatch(c -> c.name().equals("bundle signature")));
    }

    static JsonNode evidence(NodeServer n, String id) {
        try {
            return Json.parse(TestNodes.get(n, "/api/v1/cases/" + id + "/evidence").body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertCaughtBeyondTheSignature(JsonNode bundle, String check) {
        var report = CaseBundleVerifier.verify(bundle);
        assertFalse(report.valid());
        assertTrue(report.checks().stream().anyMatch(c -> !c.ok() && c.name().equals(check)), report.checks().toString());
    }

    @Test
    void theOpeningFlagMustBeAJsonBoolean() throws Exception {
        for (JsonNode bad : List.of(Json.MAPPER.getNodeFactory().textNode("true"), Json.MAPPER.getNodeFactory().numberNode(1), Json.object())) {
            ObjectNode body = Json.object().put("type", "information").put("summary", "x").put("asked", "y");
            body.set("exercise", bad);
            var res = TestNodes.post(a, "/api/v1/channels/drill/cases", Json.write(Json.object().put("kind", "request").set("body", body)));
            assertEquals(400, res.statusCode(), res.body());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(res.body().contains("/body/exercise"), res.body());
        }
        var ping = TestNodes.post(a, "/api/v1/channels/drill/ping", "{\"exercise\":\"yes\"}");
        assertEquals(400, ping.statusCode(), ping.body());
    }

    @Test
    void aDishonestMemberCannotTurnARealCaseIntoAnExerciseToHideAMiss() throws Exception {
        String real = open(a, "Real intrusion", null);
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(real).isPresent()));
        // b, which owes the answer, marks the case an exercise with its own signed update, then with a second "opening"
        var update = TestNodes.post(b, "/api/v1/channels/drill/messages", Json.write(Json.object().put("kind", "update").put("case", real)
                .set("body", Json.object().put("exercise", true).put("summary", "this was only a drill"))));
        assertEquals(201, update.statusCode(), update.body());
        var reopen = TestNodes.post(b, "/api/v1/channels/drill/messages", Json.write(Json.object().put("kind", "notify").put("case", real)
                .set("body", Json.object().put("exercise", true).put("summary", "drill"))));
        assertTrue(reopen.statusCode() >= 400 && reopen.statusCode() < 500, "an opening with another party's case id is refused: " + reopen.body());
        String hash = Json.parse(update.body()).path("hash").asText();
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().byHash(hash).isPresent()));
        clock.advance(Duration.ofMinutes(20));
        for (NodeServer n : List.of(a, b)) {
            assertFalse(n.cases().timeline(real).orElseThrow().exercise(), n.node().origin());
            assertFalse(Json.parse(TestNodes.get(n, "/api/v1/cases/" + real).body()).path("exercise").asBoolean(true));
        }
        JsonNode report = Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness?channel=drill&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z").body());
        assertEquals(1, row(report.path("parties"), "cert-b.example").path("requests").asInt(), "the case stays among the real figures");
        assertEquals(0, row(report.path("exercises").path("parties"), "cert-b.example").path("requests").asInt());
    }

    static JsonNode row(JsonNode parties, String party) {
        for (JsonNode r : parties) if (r.path("party").asText().equals(party)) return r;
        throw new AssertionError("no row for " + party + " in " + parties);
    }
}
