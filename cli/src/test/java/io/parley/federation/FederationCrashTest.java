package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * A member running as its own process is killed with SIGKILL while messages are sent to it; after a restart it has
 * every one of them exactly once, in order, with its copy of the sender's chain intact.
 */
class FederationCrashTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String auth = "Basic " + Base64.getEncoder().encodeToString("duty:crash-test-pw".getBytes());

    @Test
    void memberKilledWithSigkillReceivesEveryMessageExactlyOnceAfterRestart() throws Exception {
        Path dirB = tmp.resolve("cert-b.example");
        NodeInit.create(dirB, new NodeInit.Options("cert-b.example", "CERT-B", "CERT", "XB", 1, null, List.of()), java.time.Instant.now());
        try (var db = io.parley.store.Database.open(NodeConfig.load(dirB).jdbcUrl(dirB))) {
            var users = new io.parley.store.UserStore(db);
            users.put("duty", io.parley.auth.Passwords.hash("crash-test-pw"), "officer", java.time.Instant.now());
            users.setChannels("duty", List.of("*")); // an officer for every channel, as TestNodes' duty is
        }
        int portB = freePort();
        String b = "http://127.0.0.1:" + portB;
        Process pb = start(dirB, portB);
        try (NodeServer a = TestNodes.start(tmp, "cert-a.example"); NodeServer c = TestNodes.start(tmp, "mfa-c.example")) {
            awaitHealthy(b);
            String fpB = Json.parse(get(b + "/.well-known/parley").body()).path("verifier_key").asText();
            String fingerprintB = io.parley.identity.VerifierKey.parse(fpB).fingerprint();
            for (NodeServer x : List.of(a, c)) {
                TestNodes.post(x, "/api/v1/peers", Json.write(Json.object().put("url", b).put("fingerprint", fingerprintB)));
                assertEquals(201, post(b + "/api/v1/peers", Json.write(Json.object().put("url", x.baseUrl()).put("fingerprint", x.node().card().fingerprint()))).statusCode());
            }
            TestNodes.peerAll(a, c);
            var keyB = io.parley.identity.VerifierKey.parse(fpB);
            var charter = new io.parley.charter.Charter("tri", "crash test", io.parley.charter.Level.OPERATIONAL,
                    List.of(new io.parley.charter.Charter.Member("cert-a.example", a.node().key().verifierKey(), a.baseUrl()),
                            new io.parley.charter.Charter.Member("cert-b.example", keyB, b),
                            new io.parley.charter.Charter.Member("mfa-c.example", c.node().key().verifierKey(), c.baseUrl())),
                    TestNodes.charter("x", Tlp.AMBER, Map.of(a, a.baseUrl(), c, c.baseUrl())).deadlines(), Tlp.AMBER, List.of());
            assertEquals(201, TestNodes.post(a, "/api/v1/channels", Json.write(charter.toJson())).statusCode());
            assertTrue(TestNodes.eventually(15, () -> get(b + "/api/v1/channels/tri").statusCode() == 200));
            assertEquals(200, post(b + "/api/v1/channels/tri/sign", TestNodes.signBody(charter)).statusCode());
            assertTrue(TestNodes.eventually(15, () -> c.node().channels().charter("tri").isPresent()));
            assertEquals(200, TestNodes.post(c, "/api/v1/channels/tri/sign", TestNodes.signBody(charter)).statusCode());
            assertTrue(TestNodes.eventually(15, () -> a.node().charters().active("tri") && c.node().charters().active("tri")
                    && Json.parse(get(b + "/api/v1/channels/tri").body()).path("state").asText().equals("active")));

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) sent.add(send(a, "before " + i));
            assertTrue(TestNodes.eventually(15, () -> notifiesAtB(b).size() == 5));

            pb.destroyForcibly(); // SIGKILL
            pb.waitFor();
            for (int i = 0; i < 10; i++) sent.add(send(a, "while b is dead " + i));
            assertTrue(TestNodes.eventually(15, () -> c.node().envelopes().byHash(sent.get(14)).isPresent()), "c is unaffected");

            pb = start(dirB, portB);
            awaitHealthy(b);
            assertTrue(TestNodes.eventually(30, () -> notifiesAtB(b).size() == 15), "b has all 15 after restart");
            List<JsonNode> atB = notifiesAtB(b);
            List<String> hashes = atB.stream().map(e -> e.path("hash").asText()).toList();
            assertEquals(sent, hashes, "exactly once, in order");
            List<JsonNode> chain = new ArrayList<>();
            for (JsonNode e : Json.parse(get(b + "/api/v1/channels/tri/envelopes?limit=1000").body())) {
                if (e.path("envelope").path("from").asText().equals("cert-a.example")) chain.add(e);
            }
            for (int i = 1; i < chain.size(); i++) {
                assertEquals(chain.get(i - 1).path("hash").asText(), chain.get(i).path("envelope").path("prev").asText(), "chain intact at " + i);
                assertEquals(i + 1, chain.get(i).path("envelope").path("seq").asLong());
            }
            assertTrue(TestNodes.eventually(90, () -> a.federation().outbox().count("cert-b.example", "queued") == 0), "a's outbox drains with receipts");
        } finally {
            pb.destroyForcibly();
            pb.waitFor();
        }
    }

    private String send(NodeServer a, String text) throws Exception {
        var res = TestNodes.post(a, "/api/v1/channels/tri/messages", "{\"kind\":\"notify\",\"priority\":\"flash\",\"tlp\":\"amber\",\"body\":{\"text\":\"" + text + "\"}}");
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("hash").asText();
    }

    private List<JsonNode> notifiesAtB(String b) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode e : Json.parse(get(b + "/api/v1/channels/tri/envelopes?limit=1000").body())) {
                if (e.path("envelope").path("kind").asText().equals("notify")) out.add(e);
            }
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    private Process start(Path dir, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.parley.cli.ParleyCli", "serve", "--dir", dir.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("b-" + System.nanoTime() + ".log").toFile()).start();
    }

    private void awaitHealthy(String base) throws Exception {
        assertTrue(TestNodes.eventually(30, () -> {
            try {
                return get(base + "/healthz").statusCode() == 200 && get(base + "/.well-known/parley").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }), "node did not start");
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
