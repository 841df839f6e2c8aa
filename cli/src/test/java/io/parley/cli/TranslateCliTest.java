package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** {@code parley case translate} between two real nodes, {@code parley case show}, and {@code parley verify} of the exported bundle. */
class TranslateCliTest {
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
    void translateShowAndVerify() throws Exception {
        var opened = TestNodes.post(a, "/api/v1/channels/pair/cases", "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"summary\":\"cable cut near the landing station\",\"lang\":\"en\"}}");
        var c = Json.parse(opened.body());
        String id = c.path("id").asText(), hash = c.path("events").get(0).path("hash").asText();
        assertTrue(TestNodes.eventually(15, () -> b.cases().timeline(id).isPresent()));
        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "translate", id, "--of", hash, "--lang", "en", "--text", "cable cut"), "already in");
        CaseCliTest.assertOneLineError(CaseCliTest.at(b, "case", "translate", id, "--of", hash, "--lang", "ru"), "--text");
        var done = CaseCliTest.ok(b, "case", "translate", id, "--of", hash, "--lang", "ru", "--text", "Обрыв кабеля у станции выхода на берег");
        assertTrue(done.out().contains("[ru] of " + hash + " signed by cert-b.example"), done.out());

        assertTrue(TestNodes.eventually(15, () -> CaseCliTest.at(a, "case", "show", id).out().contains("Обрыв кабеля")));
        var shown = CaseCliTest.ok(a, "case", "show", id);
        assertTrue(shown.out().contains("courtesy translations (not authoritative; the original stands):"), shown.out());
        assertTrue(shown.out().contains("of " + hash + " (cert-a.example): [ru] by cert-b.example: Обрыв кабеля у станции выхода на берег"), shown.out());

        Path file = tmp.resolve(id + ".parley.json");
        assertTrue(TestNodes.eventually(20, () -> {
            CaseCliTest.at(a, "export", "--case", id, "--out", file.toString());
            CliTest.Result r = CliTest.run("verify", file.toString());
            return r.code() == 0 && r.out().contains("courtesy translation [ru] by cert-b.example, not authoritative: Обрыв кабеля у станции выхода на берег");
        }), () -> CliTest.run("verify", file.toString()).out());
    }
}
