package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.Passwords;
import io.parley.auth.Tokens;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * A channel's MISP feed across real nodes on loopback: what a member shares in the channel appears at every member's
 * feed as MISP reads it (manifest entry and event agree, hashes.csv hashes the attribute values), redacted exactly as
 * the single-bundle MISP export is, and leaves it when withdrawn; an anonymous caller, a token for another channel, a
 * node outside the channel and a peer signing with its key get nothing; bad names are problem+json 404s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MispFeedTest {
    static final String BOSS = Stix.basic("boss", "boss-password-1");
    @TempDir static java.nio.file.Path tmp;
    NodeServer a, b, c;
    String ch, other;

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        c = TestNodes.start(tmp, "mfa-c.example");
        for (NodeServer x : List.of(a, b, c)) x.node().users().put("boss", Passwords.hash("boss-password-1"), "admin", x.node().now());
        TestNodes.peerAll(a, b, c);
        ch = "feed-" + UUID.randomUUID().toString().substring(0, 8);
        other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        TestNodes.establish(TestNodes.charter(ch, Tlp.RED, a, b), a, b);
        TestNodes.establish(TestNodes.charter(other, Tlp.AMBER, b, c), b, c);
    }

    @AfterAll
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    String feed(String file) {
        return "/api/v1/channels/" + ch + "/misp-feed/" + file;
    }

    static HttpResponse<String> get(NodeServer n, String path, String auth) throws Exception {
        return Stix.get(n, path, null, auth);
    }

    static JsonNode json(HttpResponse<String> res) {
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("application/json;charset=utf-8", res.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT));
        return Json.parse(res.body());
    }

    /** Uploads {@code bundle} at a and shares it by hash in a new case of the channel under {@code tlp}; its SHA-256. */
    String share(ObjectNode bundle, Tlp tlp, boolean toBOnly) throws Exception {
        var up = Stix.postJson(a, "/api/v1/evidence", Json.write(bundle), BOSS);
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        ObjectNode body = Json.object().put("text", "for the feed");
        if (toBOnly) body.putArray("recipients").add("cert-b.example");
        body.putArray("evidence").addObject().put("sha256", sha);
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "routine").put("tlp", tlp.wire())
                .put("case", io.parley.envelope.CaseIds.newId(a.node().origin(), java.time.Instant.now()));
        req.set("body", body);
        var sent = Stix.postJson(a, "/api/v1/channels/" + ch + "/messages", Json.write(req), BOSS);
        assertEquals(201, sent.statusCode(), sent.body());
        return sha;
    }

    /** Whether {@code n}'s feed of the channel lists event {@code uuid} for {@code auth}. */
    boolean listed(NodeServer n, String auth, String uuid) {
        try {
            var res = get(n, feed("manifest.json"), auth);
            return res.statusCode() == 200 && Json.parse(res.body()).has(uuid);
        } catch (Exception e) {
            return false;
        }
    }

    static List<String> values(JsonNode mispEvent) {
        List<String> out = new ArrayList<>();
        mispEvent.path("Event").path("Attribute").forEach(x -> out.add(x.path("type").asText() + "=" + x.path("value").asText()));
        return out;
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSharedBundleIsAnEventOfEveryMembersFeedUntilItIsWithdrawn() throws Exception {
        String sha = share(Stix.bundle(Stix.indicator(Tlp.GREEN, "198.51.100.7"), Stix.indicator(Tlp.AMBER, "198.51.100.8")), Tlp.AMBER, false);
        String uuid = MispFeed.eventUuid(sha);
        for (NodeServer n : List.of(a, b)) {
            assertTrue(TestNodes.eventually(20, () -> listed(n, Stix.duty(), uuid)), n.node().origin());
        }
        JsonNode manifest = json(get(b, feed("manifest.json"), Stix.duty()));
        JsonNode entry = manifest.get(uuid);
        JsonNode event = json(get(b, feed(uuid + ".json"), Stix.duty()));
        JsonNode ev = event.path("Event");
        // the event parses as MISP's: its uuid is the manifest key, the manifest's summary is the event's
        assertEquals(uuid, ev.path("uuid").asText());
        for (String f : new String[] {"timestamp", "info", "date", "analysis", "threat_level_id"}) {
            assertEquals(ev.path(f).asText(), entry.path(f).asText(), f);
        }
        assertTrue(ev.path("timestamp").asLong() > 1_700_000_000L, "when it was shared, in epoch seconds: " + ev.path("timestamp"));
        assertEquals("cert-a.example", ev.path("Orgc").path("name").asText(), "the party that shared it");
        assertEquals(ev.path("Orgc"), entry.path("Orgc"));
        assertEquals(List.of("ip-dst=198.51.100.7", "ip-dst=198.51.100.8"), values(event).stream().sorted().toList());
        // the same attributes as the single-bundle MISP export gives the same reader
        JsonNode single = json(get(b, "/api/v1/evidence/" + sha + "/misp", Stix.duty()));
        assertEquals(values(single), values(event));

        // hashes.csv: MD5 of each attribute value with its event's uuid, as MISP hashes them
        var csv = get(b, feed("hashes.csv"), Stix.duty());
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals("text/csv;charset=utf-8", csv.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT));
        List<String> lines = csv.body().lines().filter(l -> l.endsWith("," + uuid)).sorted().toList();
        assertEquals(List.of(md5("198.51.100.7") + "," + uuid, md5("198.51.100.8") + "," + uuid).stream().sorted().toList(), lines);

        // a poller with the ETag gets 304 and no body
        String etag = get(b, feed("manifest.json"), Stix.duty()).headers().firstValue("ETag").orElseThrow();
        var again = TestNodes.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + feed("manifest.json"))).GET()
                .header("Authorization", Stix.duty()).header("If-None-Match", etag).build());
        assertEquals(304, again.statusCode());
        assertTrue(again.body().isEmpty());

        // a bearer token works (MISP sends one as a feed header); so does a token limited to this channel
        String token = "Bearer " + b.node().tokens().issue("boss", "misp feed", Tokens.Scope.READ, List.of(ch), Duration.ofDays(1)).secret();
        assertTrue(json(get(b, feed("manifest.json"), token)).has(uuid));

        // withdrawn by the party that shared it: out of the manifest and the hashes, its event file is gone
        var retracted = Stix.postJson(a, "/api/v1/evidence/" + sha + "/retract", "{}", BOSS);
        assertEquals(200, retracted.statusCode(), retracted.body());
        for (NodeServer n : List.of(a, b)) {
            assertTrue(TestNodes.eventually(20, () -> !listed(n, Stix.duty(), uuid)), n.node().origin());
            assertProblem(get(n, feed(uuid + ".json"), Stix.duty()), 404);
            assertFalse(get(n, feed("hashes.csv"), Stix.duty()).body().contains(uuid));
        }
    }

    @Test
    void redEvidenceIsInTheFeedOfExactlyThoseTheSingleExportServes() throws Exception {
        String sha = share(Stix.bundle(Stix.indicator(Tlp.RED, "198.51.100.66"), Stix.indicator(Tlp.GREEN, "198.51.100.67")), Tlp.RED, true);
        String uuid = MispFeed.eventUuid(sha);
        assertTrue(TestNodes.eventually(20, () -> listed(b, BOSS, uuid)));
        // the named recipient's admin reads it, in the feed as in the single export
        JsonNode event = json(get(b, feed(uuid + ".json"), BOSS));
        assertEquals(values(json(get(b, "/api/v1/evidence/" + sha + "/misp", BOSS))), values(event));
        assertTrue(values(event).contains("ip-dst=198.51.100.66"), values(event).toString());
        // an officer without a RED grant reads none of a RED message: not in the single export, not in the feed
        assertEquals(404, get(b, "/api/v1/evidence/" + sha + "/misp", Stix.duty()).statusCode());
        assertFalse(json(get(b, feed("manifest.json"), Stix.duty())).has(uuid));
        assertProblem(get(b, feed(uuid + ".json"), Stix.duty()), 404);
        assertFalse(get(b, feed("hashes.csv"), Stix.duty()).body().contains(uuid));
        assertFalse(get(b, feed("hashes.csv"), Stix.duty()).body().contains(md5("198.51.100.66")));
    }

    @Test
    void aBundleIsJudgedInTheChannelItWasSharedInNotWhereElseItIsHeld() throws Exception {
        ObjectNode bundle = Stix.bundle(Stix.indicator(Tlp.GREEN, "198.51.100.120"));
        // b holds the same bytes as its own upload (GREEN, readable by its officer) before a shares them in a RED message
        var own = Stix.postJson(b, "/api/v1/evidence", Json.write(bundle), BOSS);
        assertEquals(201, own.statusCode(), own.body());
        String sha = share(bundle, Tlp.RED, true);
        assertEquals(Json.parse(own.body()).path("sha256").asText(), sha);
        String uuid = MispFeed.eventUuid(sha);
        assertTrue(TestNodes.eventually(20, () -> listed(b, BOSS, uuid)));
        // the officer reads the bundle as b's own material, but nothing of it as it came in the channel
        assertEquals(List.of("ip-dst=198.51.100.120"), values(json(get(b, "/api/v1/evidence/" + sha + "/misp", Stix.duty()))));
        assertFalse(listed(b, Stix.duty(), uuid), "the channel's feed shows only what the channel's sharing lets the reader see");
        assertProblem(get(b, feed(uuid + ".json"), Stix.duty()), 404);
    }

    @Test
    void outsidersGetNothingAndBadNamesAreProblems() throws Exception {
        String sha = share(Stix.bundle(Stix.indicator(Tlp.GREEN, "198.51.100.90")), Tlp.GREEN, false);
        String uuid = MispFeed.eventUuid(sha);
        assertTrue(TestNodes.eventually(20, () -> listed(b, Stix.duty(), uuid)));

        // anonymous: 401, and nothing of the feed
        for (String file : List.of("manifest.json", "hashes.csv", uuid + ".json")) {
            var anon = get(b, feed(file), null);
            assertProblem(anon, 401);
            assertFalse(anon.body().contains("198.51.100.90"), anon.body());
            if (!file.contains(uuid)) assertFalse(anon.body().contains(uuid), "the feed's uuids are not told: " + anon.body());
        }
        // a peer signing with its node key is not a local account
        URI target = URI.create(b.baseUrl() + feed("manifest.json"));
        var asPeer = TestNodes.send(io.parley.federation.PeerRequestAuth.sign(HttpRequest.newBuilder(target).GET(), "GET", target, new byte[0],
                a.node().key(), java.time.Instant.now()).build());
        assertProblem(asPeer, 401);
        // a token for another channel may not read this one's feed
        String otherToken = "Bearer " + b.node().tokens().issue("boss", "other feed", Tokens.Scope.READ, List.of(other), Duration.ofDays(1)).secret();
        for (String file : List.of("manifest.json", "hashes.csv", uuid + ".json")) {
            var refused = get(b, feed(file), otherToken);
            assertProblem(refused, 403);
            assertFalse(refused.body().contains("198.51.100.90"), refused.body());
        }
        // a node outside the channel (a member of another one with b) has no such feed, even for its admin
        assertProblem(get(c, feed("manifest.json"), BOSS), 404);
        assertProblem(get(c, feed(uuid + ".json"), BOSS), 404);
        // ... and the channel it shares with b has nothing of this one
        var otherFeed = json(get(b, "/api/v1/channels/" + other + "/misp-feed/manifest.json", BOSS));
        assertFalse(otherFeed.has(uuid), otherFeed.toString());
        assertProblem(get(b, "/api/v1/channels/" + other + "/misp-feed/" + uuid + ".json", BOSS), 404);

        // bad names: problem+json 404, never a 500
        assertProblem(get(b, "/api/v1/channels/no-such-channel/misp-feed/manifest.json", Stix.duty()), 404);
        assertProblem(get(b, feed(UUID.randomUUID() + ".json"), Stix.duty()), 404);
        assertProblem(get(b, feed(uuid.toUpperCase(java.util.Locale.ROOT) + ".json"), Stix.duty()), 404);
        assertProblem(get(b, feed("events.xml"), Stix.duty()), 404);
        assertProblem(get(b, feed("..%2F..%2Fnode.toml"), Stix.duty()), 404);
    }

    @Test
    void hashesSplitCompositeValuesAndIncludeObjectAttributesAsMispDoes() throws Exception {
        ObjectNode misp = Json.object();
        ObjectNode ev = misp.putObject("Event");
        ev.putArray("Attribute").addObject().put("type", "filename|md5").put("value", "évil.exe|d41d8cd98f00b204e9800998ecf8427e");
        ev.withArray("Attribute").addObject().put("type", "domain").put("value", "a|b.example");
        ev.putArray("Object").addObject().putArray("Attribute").addObject().put("type", "malware-sample").put("value", "x.bin|0123");
        String uuid = MispFeed.eventUuid("00".repeat(32));
        List<String> lines = MispFeed.hashes(List.of(new MispFeed.Event(uuid, "00".repeat(32), misp))).lines().toList();
        assertEquals(List.of(md5("évil.exe"), md5("d41d8cd98f00b204e9800998ecf8427e"), md5("a|b.example"), md5("x.bin"), md5("0123")),
                lines.stream().map(l -> l.substring(0, l.indexOf(','))).toList());
        assertTrue(lines.stream().allMatch(l -> l.endsWith("," + uuid)));
        // the uuid: RFC 9562 version 5, the same for the same bundle everywhere
        assertEquals(5, UUID.fromString(uuid).version());
        assertEquals(2, UUID.fromString(uuid).variant());
        assertEquals(uuid, MispFeed.eventUuid("00".repeat(32)));
        assertNotEquals(uuid, MispFeed.eventUuid("01" + "00".repeat(31)));
    }

    static void assertProblem(HttpResponse<String> res, int status) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.body());
        assertFalse(res.body().contains("Exception"), res.body());
    }
}
