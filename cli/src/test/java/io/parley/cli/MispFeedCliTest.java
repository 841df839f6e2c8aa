package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * {@code parley evidence misp-feed}: a channel's feed written to a directory MISP can be pointed at, updated in place
 * when evidence is withdrawn, touching nothing it did not write; a bad channel is a one-line error.
 */
class MispFeedCliTest {
    @TempDir Path tmp;
    NodeServer a;
    NodeServer b;

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    static boolean listed(NodeServer n, String channel, String uuid, boolean expected) {
        try {
            var res = TestNodes.get(n, "/api/v1/channels/" + channel + "/misp-feed/manifest.json");
            return res.statusCode() == 200 && Json.parse(res.body()).has(uuid) == expected;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void writesTheFeedAndRemovesWhatWasWithdrawnOnTheNextRun() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        TestNodes.peerAll(a, b);
        String ch = "feed-" + UUID.randomUUID().toString().substring(0, 8);
        TestNodes.establish(TestNodes.charter(ch, Tlp.AMBER, a, b), a, b);

        ObjectNode indicator = Json.object().put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + UUID.randomUUID())
                .put("created", "2024-01-01T00:00:00.000Z").put("modified", "2024-01-01T00:00:00.000Z").put("name", "C2")
                .put("pattern", "[ipv4-addr:value = '203.0.113.80']").put("pattern_type", "stix").put("valid_from", "2024-01-01T00:00:00Z");
        indicator.putArray("object_marking_refs").add(io.parley.evidence.WellKnownMarkings.tlp2Id(Tlp.GREEN));
        ObjectNode bundle = Json.object().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        bundle.putArray("objects").add(indicator);
        var up = TestNodes.post(a, "/api/v1/evidence", Json.write(bundle));
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        ObjectNode msg = Json.object().put("kind", "notify").put("priority", "routine").put("tlp", "green")
                .put("case", io.parley.envelope.CaseIds.newId(a.node().origin(), java.time.Instant.now()));
        msg.putObject("body").put("text", "C2").putArray("evidence").addObject().put("sha256", sha);
        assertEquals(201, TestNodes.post(a, "/api/v1/channels/" + ch + "/messages", Json.write(msg)).statusCode());
        String uuid = io.parley.taxii.MispFeed.eventUuid(sha);
        assertTrue(TestNodes.eventually(20, () -> listed(b, ch, uuid, true)));

        Path dir = tmp.resolve("feed");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("README.txt"), "not ours");
        String stranger = UUID.randomUUID() + ".json";
        Files.writeString(dir.resolve(stranger), "{}");
        var run = PeerChannelCliTest.at(b, "evidence", "misp-feed", "--channel", ch, "--out", dir.toString());
        PeerChannelCliTest.assertOk(run);
        assertTrue(run.out().contains("wrote 1 events"), run.out());
        JsonNode manifest = Json.parse(Files.readString(dir.resolve("manifest.json")));
        JsonNode event = Json.parse(Files.readString(dir.resolve(uuid + ".json")));
        assertEquals(manifest.path(uuid).path("timestamp").asText(), event.path("Event").path("timestamp").asText());
        assertEquals("203.0.113.80", event.path("Event").path("Attribute").get(0).path("value").asText());
        assertTrue(Files.readString(dir.resolve("hashes.csv")).strip().endsWith("," + uuid));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(uuid + ".json"))));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
        }

        // withdrawn: the next run takes its event out, and leaves what it never wrote
        assertEquals(200, TestNodes.post(a, "/api/v1/evidence/" + sha + "/retract", "{}").statusCode());
        assertTrue(TestNodes.eventually(20, () -> listed(b, ch, uuid, false)));
        var again = PeerChannelCliTest.at(b, "evidence", "misp-feed", "--channel", ch, "--out", dir.toString());
        PeerChannelCliTest.assertOk(again);
        assertTrue(again.out().contains("1 no longer in the channel's feed removed"), again.out());
        assertFalse(Files.exists(dir.resolve(uuid + ".json")));
        assertEquals(0, Json.parse(Files.readString(dir.resolve("manifest.json"))).size());
        assertEquals("", Files.readString(dir.resolve("hashes.csv")));
        assertTrue(Files.exists(dir.resolve("README.txt")) && Files.exists(dir.resolve(stranger)), "files it did not write stay");

        PeerChannelCliTest.assertOneLineError(PeerChannelCliTest.at(b, "evidence", "misp-feed", "--channel", "no-such", "--out", dir.toString()),
                "no channel");
    }
}
