package io.parley.cli;

import static io.parley.cli.PeerChannelCliTest.assertOk;
import static io.parley.cli.PeerChannelCliTest.assertOneLineError;
import static io.parley.cli.PeerChannelCliTest.at;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.auth.Passwords;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** The CLI for exercises, ping exercise schedules and contact re-confirmation, against real nodes. */
class PracticeCliTest {
    @TempDir Path tmp;
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        TestNodes.peerAll(a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    @Test
    void proposeWritesPingExercisesAndTheReconfirmationTermIntoTheCharter() {
        var r = at(a, "channel", "propose", "--id", "drill", "--level", "operational", "--member", "cert-b.example", "--tlp-ceiling", "amber",
                "--ping-exercise", "monday 10:00 human", "--ping-exercise", "day 09:30 auto", "--contacts-reconfirm", "P182D", "--dry-run");
        assertOk(r);
        JsonNode charter = Json.parse(r.out());
        assertEquals("monday", charter.path("ping_exercises").path(0).path("every").asText());
        assertEquals("10:00", charter.path("ping_exercises").path(0).path("at").asText());
        assertEquals("human", charter.path("ping_exercises").path(0).path("mode").asText());
        assertEquals("day", charter.path("ping_exercises").path(1).path("every").asText());
        assertEquals("auto", charter.path("ping_exercises").path(1).path("mode").asText());
        assertEquals(java.time.Duration.ofDays(182), java.time.Duration.parse(charter.path("contacts_reconfirm").asText()));
        assertOneLineError(at(a, "channel", "propose", "--id", "drill", "--level", "operational", "--member", "cert-b.example",
                "--tlp-ceiling", "amber", "--ping-exercise", "someday 25:00", "--dry-run"), "--ping-exercise");
    }

    @Test
    void exerciseCasesArePrefixedInListAndShowAndContactsAreConfirmedByAnAdminOnly() throws Exception {
        TestNodes.establish(TestNodes.charter("drill", Tlp.AMBER, a, b), a, b);
        var opened = at(a, "case", "open", "--channel", "drill", "--kind", "notify", "--summary", "Drill notice", "--exercise");
        assertOk(opened);
        assertTrue(opened.out().startsWith("[EXERCISE] opened case "), opened.out());
        String id = opened.out().split(" ")[3];
        assertOk(at(a, "case", "open", "--channel", "drill", "--kind", "notify", "--summary", "Real notice"));
        var list = at(a, "case", "list");
        assertOk(list);
        assertTrue(list.out().lines().anyMatch(l -> l.contains("[EXERCISE] Drill notice")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.contains("Real notice") && !l.contains("[EXERCISE]")), list.out());
        var show = at(a, "case", "show", id);
        assertOk(show);
        assertTrue(show.out().startsWith("[EXERCISE]"), show.out());
        var ping = at(a, "ping", "--channel", "drill", "--exercise");
        assertOk(ping);
        assertTrue(ping.out().startsWith("[EXERCISE] ping "), ping.out());

        assertOneLineError(at(a, "peer", "confirm-contacts"), "403");
        a.node().users().put("chief", Passwords.hash("chief-password-1"), "admin", a.node().now());
        List<String> args = new ArrayList<>(List.of("peer", "confirm-contacts", "--url", a.baseUrl(), "--user", "chief", "--password", "chief-password-1"));
        var confirmed = CliTest.run(args.toArray(String[]::new));
        assertOk(confirmed);
        assertTrue(confirmed.out().contains("confirmed to drill: envelope "), confirmed.out());
    }
}
