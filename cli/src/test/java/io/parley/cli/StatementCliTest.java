package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * {@code parley case statement propose|cosign|show} between two real nodes, and {@code parley verify} of the exported
 * bundle; {@code parley evidence retract}.
 */
class StatementCliTest {
    @TempDir static Path tmp;
    static NodeServer a, b;

    @BeforeAll
    static void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("pair", Tlp.AMBER, a, b), a, b);
    }

    @AfterAll
    static void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    @Test
    void proposeCosignShowAndVerifyABilateralStatement() throws Exception {
        var opened = TestNodes.post(a, "/api/v1/channels/pair/cases", "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"summary\":\"cable cut\"}}");
        String id = Json.parse(opened.body()).path("id").asText();
        assertTrue(TestNodes.eventually(15, () -> b.cases().timeline(id).isPresent()));
        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "statement", "propose", id, "--text", "too early"), "closed");
        CaseCliTest.ok(a, "case", "close", id);
        assertTrue(TestNodes.eventually(15, () -> b.cases().timeline(id).map(t -> t.state().finished()).orElse(false)));

        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "statement", "propose", id), "--text");
        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "statement", "propose", id, "--text", "x", "--translation", "ru"), "LANG=TEXT");
        var proposed = CaseCliTest.ok(b, "case", "statement", "propose", id, "--text", "The cable was cut by a ship's anchor.", "--lang", "en",
                "--translation", "ru=Кабель повреждён якорем судна.");
        Matcher m = Pattern.compile("statement ([0-9a-f]{64}): signed by cert-b.example \\(pending: cert-a.example\\)").matcher(proposed.out());
        assertTrue(m.find(), proposed.out());
        String sid = m.group(1);

        assertTrue(TestNodes.eventually(15, () -> CaseCliTest.at(a, "case", "statement", "show", id).out().contains(sid)));
        var shown = CaseCliTest.ok(a, "case", "statement", "show", id);
        assertTrue(shown.out().contains("The cable was cut by a ship's anchor."), shown.out());
        assertTrue(shown.out().contains("translation (ru, not authoritative)"), shown.out());
        assertTrue(shown.out().contains("Кабель повреждён якорем судна."), "UTF-8 through: " + shown.out());

        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "case", "statement", "cosign", id, "0".repeat(64)), "no statement");
        var cosigned = CaseCliTest.ok(a, "case", "statement", "cosign", id, sid);
        assertTrue(cosigned.out().contains("signed by cert-b.example, cert-a.example (complete)"), cosigned.out());
        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "case", "statement", "cosign", id, sid), "already co-signed");

        // the exported bundle says so offline
        Path file = tmp.resolve(id + ".parley.json");
        assertTrue(TestNodes.eventually(20, () -> {
            CaseCliTest.at(a, "export", "--case", id, "--out", file.toString());
            CliTest.Result r = CliTest.run("verify", file.toString());
            return r.code() == 0 && r.out().contains("statement: \"The cable was cut by a ship's anchor.\" co-signed by cert-b.example, cert-a.example (complete)");
        }), () -> CliTest.run("verify", file.toString()).out());
    }

    @Test
    void evidenceRetractWithdrawsOnlyWhatThisNodeShared() throws Exception {
        var opened = TestNodes.post(a, "/api/v1/channels/pair/cases", "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"summary\":\"scan\"}}");
        String id = Json.parse(opened.body()).path("id").asText();
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + java.util.UUID.randomUUID() + "\",\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\","
                + "\"id\":\"indicator--" + java.util.UUID.randomUUID() + "\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\","
                + "\"pattern\":\"[ipv4-addr:value = '198.51.100.23']\",\"pattern_type\":\"stix\",\"valid_from\":\"2024-01-01T00:00:00Z\"}]}";
        var up = TestNodes.post(a, "/api/v1/evidence", bundle);
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        var note = Json.object().put("kind", "notify").put("tlp", "green").put("case", id);
        note.putObject("body").put("text", "scanner list").putArray("evidence").addObject().put("sha256", sha);
        assertEquals(201, TestNodes.post(a, "/api/v1/channels/pair/messages", Json.write(note)).statusCode());
        assertTrue(TestNodes.eventually(15, () -> b.cases().timeline(id).map(t -> t.events().size() == 2).orElse(false)));

        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "evidence", "retract", sha), "only the party that shared evidence");
        var done = CaseCliTest.ok(a, "evidence", "retract", sha, "--reason", "our own scanner");
        assertTrue(done.out().startsWith("retracted " + sha + " in channel pair, case " + id + ": retract "), done.out());
        CaseCliTest.assertOneLineError(CaseCliTest.at(a, "evidence", "retract", sha), "already withdrawn");
        assertTrue(TestNodes.eventually(20, () -> {
            try {
                return Json.parse(TestNodes.get(b, "/api/v1/cases/" + id).body()).path("retracted_evidence").size() == 1;
            } catch (Exception e) {
                return false;
            }
        }));
    }
}
