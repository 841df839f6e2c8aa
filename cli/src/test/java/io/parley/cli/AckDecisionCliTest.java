package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.envelope.Tlp;
import io.parley.identity.KeyFiles;
import io.parley.identity.SigningKey;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.ReasonCode;

/**
 * {@code parley case ack --decision}, {@code parley case show} and {@code parley verify} on a declined and a deferred
 * request between two real nodes: the decision travels, shows, and is recomputed offline from the signed ack, so a
 * bundle whose decision was changed fails.
 */
class AckDecisionCliTest {
    @TempDir static Path tmp;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    static NodeServer a, b;

    @BeforeAll
    static void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("duo", Tlp.AMBER, a, b), a, b);
    }

    @AfterAll
    static void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    static String open(String summary) throws Exception {
        var r = CaseCliTest.ok(a, "case", "open", "--channel", "duo", "--priority", "flash", "--type", "information", "--summary", summary,
                "--asked", "Tell us who registered the domain");
        String id = CaseCliTest.caseId(r.out());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        return id;
    }

    @Test
    void declineFromTheCliReachesTheOpenerShowsAndVerifiesOffline() throws Exception {
        String id = open("Typosquat of a ministry domain");
        var declined = CaseCliTest.ok(b, "case", "ack", id, "--decision", "decline", "--code", "outside-mandate",
                "--reason", "Регистратор вне нашей зоны", "--lang", "ru");
        assertTrue(declined.out().startsWith("declined case " + id + "; state declined, ack met, answer declined"), declined.out());
        assertTrue(TestNodes.eventually(10, () -> CaseCliTest.shows(a, id, "declined")));
        var show = CaseCliTest.ok(a, "case", "show", id);
        assertTrue(show.out().contains("state:       declined"), show.out());
        assertTrue(show.out().lines().anyMatch(l -> l.startsWith("  cert-b.example") && l.contains("declined") && l.trim().endsWith("decline")), show.out());
        assertTrue(show.out().contains("decisions:\n  cert-b.example: decline (outside-mandate) at "), show.out());
        assertTrue(show.out().contains(": \"Регистратор вне нашей зоны\" [ru, original]"), show.out());

        Path file = tmp.resolve(id + ".parley.json");
        assertEquals(0, CliTest.run("export", "--url", a.baseUrl(), "--user", TestNodes.USER, "--password", TestNodes.PASSWORD,
                "--case", id, "--out", file.toString()).code());
        var verified = CliTest.run("verify", file.toString());
        assertEquals(0, verified.code(), verified.out() + verified.err());
        assertTrue(verified.out().lines().anyMatch(l -> l.startsWith("ok    decision of cert-b.example: decline (outside-mandate): \"Регистратор")
                && l.endsWith("; answer declined")), verified.out());

        // the exporter claims b accepted: re-signed by the exporter, so only the recomputation from b's signed ack catches it
        ObjectNode bundle = (ObjectNode) Json.parse(Files.readString(file));
        ObjectNode claimed = (ObjectNode) bundle.path("timeline").path("responses").get(0);
        claimed.put("decision", "accept");
        claimed.put("answer_status", "pending");
        var report = CaseBundleVerifier.verify(resign(bundle, a));
        assertTrue(report.checks().stream().anyMatch(c -> c.name().equals("bundle signature") && c.ok()), "the re-signed bundle's signature holds");
        assertTrue(report.checks().stream().anyMatch(c -> c.name().equals("case timeline") && !c.ok()), "the timeline recomputed from b's ack differs");
        assertFalse(report.valid());

        // the ack itself rewritten to an accept: its signature no longer holds
        ObjectNode forged = (ObjectNode) Json.parse(Files.readString(file));
        for (JsonNode e : forged.path("envelopes")) {
            if (e.path("kind").asText().equals("ack")) ((ObjectNode) e.path("body")).put("decision", "accept").remove(List.of("reason_code", "reason", "lang"));
        }
        Path tampered = tmp.resolve("tampered.parley.json");
        Files.writeString(tampered, Json.write(resign(forged, a)));
        var bad = CliTest.run("verify", tampered.toString());
        assertNotEquals(0, bad.code(), bad.out());
        assertTrue(bad.out().contains("FAIL"), bad.out());
    }

    @Test
    void deferMovesTheDeadlineAndBadDecisionsFailInOneLine() throws Exception {
        String id = open("Fast-flux domain");
        String until = clock.instant().plus(Duration.ofDays(2)).toString();
        var deferred = CaseCliTest.ok(b, "case", "ack", id, "--decision", "defer", "--until", until, "--code", "needs-higher-level",
                "--reason", "Waiting for the ministry");
        assertTrue(deferred.out().startsWith("deferred case " + id), deferred.out());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.responses().containsKey("cert-b.example")).orElse(false)));
        clock.advance(Duration.ofHours(5)); // past the charter's 4 hours, before b's until
        var show = CaseCliTest.ok(a, "case", "show", id);
        assertTrue(show.out().contains("  cert-b.example: defer until "), show.out());
        assertFalse(show.out().lines().anyMatch(l -> l.startsWith("  cert-b.example") && l.contains("MISSED")), "b's deadline moved: " + show.out());

        CaseCliTest.assertUsageError(CaseCliTest.at(b, "case", "ack", id, "--decision", "maybe"), "--decision must be accept, decline or defer");
        CaseCliTest.assertUsageError(CaseCliTest.at(b, "case", "ack", id, "--decision", "defer"), "--decision defer needs --until");
        CaseCliTest.assertUsageError(CaseCliTest.at(b, "case", "ack", id, "--decision", "decline"), "needs --reason TEXT or --code CODE");
        CaseCliTest.assertUsageError(CaseCliTest.at(b, "case", "ack", id, "--decision", "decline", "--code", "bored"), "--code must be one of");
        CaseCliTest.assertUsageError(CaseCliTest.at(b, "case", "ack", id, "--decision", "defer", "--until", "tomorrow"), "--until must be an RFC 3339 time");
        // what only the node can judge comes back as its problem, in one line
        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "ack", id, "--decision", "defer", "--until", "2020-01-01T00:00:00Z"), "until must be after");
        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "case", "ack", id, "--decision", "decline", "--code", "duplicate"), "by the other side");

        String help = CaseCliTest.ok(b, "case", "ack", "--help").out();
        for (ReasonCode c : ReasonCode.values()) assertTrue(help.contains(c.wire()), "the help lists " + c.wire() + ": " + help);
    }

    /** {@code bundle} signed again by {@code exporter}'s own key, as a dishonest exporter would. */
    static ObjectNode resign(ObjectNode bundle, NodeServer exporter) throws Exception {
        SigningKey key = KeyFiles.read(exporter.node().dir().resolve("log.key"));
        bundle.remove("sig");
        bundle.put("sig", Base64.getEncoder().encodeToString(key.sign(Jcs.canonicalize(bundle))));
        return bundle;
    }
}
