package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
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

/** {@code parley case statement propose|cosign|show} between two real nodes, and {@code parley verify} of the exported bundle. */
class StatementCliTest {
    @TempDir static Path tmp;
    static NodeServer a, b;

    @BeforeAll
    static void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        for (NodeServer x : List.of(a, b)) for (NodeServer y : List.of(a, b)) if (x != y) TestNodes.peer(x, y);
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
}
