package io.parley.transparency;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;
import io.parley.identity.KeyFiles;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.log.Checkpoint;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteVerifier;
import io.parley.log.SignedNote;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.receipt.ReceiptVerifier;
import io.parley.testing.Fixtures;

/**
 * {@code kill -9} of a real node process under load, three times: after each restart every acknowledged message is
 * there with a receipt, and the log is consistent with every checkpoint the node ever published.
 */
class CrashRecoveryTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String auth;

    @Test
    void killDashNineLosesNoAcknowledgedMessageAndNeverForksTheLog() throws Exception {
        Path dir = tmp.resolve("node");
        NodeInit.create(dir, new NodeInit.Options("cert-a.example", "CERT-A", "CERT", "XA", 1, null, List.of()), java.time.Instant.now());
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        auth = "Basic " + Base64.getEncoder().encodeToString("duty:crash-test-pw".getBytes());
        SigningKey key = KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE));
        try (var db = io.parley.store.Database.open(NodeConfig.load(dir).jdbcUrl(dir))) {
            var users = new io.parley.store.UserStore(db);
            users.put("duty", io.parley.auth.Passwords.hash("crash-test-pw"), "officer", java.time.Instant.now());
            users.setChannels("duty", List.of("*")); // an officer for every channel, as TestNodes' duty is
            // an active channel with a peer (set up as after peering and a fully signed charter)
            var charter = Fixtures.charter("ch-1", Tlp.AMBER, key, SigningKey.generate("cert-b.example"));
            new io.parley.store.ChannelStore(db).create(charter, "active", java.time.Instant.now());
        }
        Map<Long, byte[]> published = new ConcurrentHashMap<>();
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());

        Process p = start(dir, port);
        awaitHealthy(base);

        for (int round = 0; round < 3; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        var res = post(base + "/api/v1/channels/ch-1/messages", "{\"kind\":\"notify\",\"body\":{\"n\":" + i + "}}");
                        if (res.statusCode() == 201) acknowledged.add(Json.parse(res.body()).path("hash").asText());
                    } catch (Exception e) {
                        return; // the node died under us: whatever was not acknowledged may be lost
                    }
                }
            });
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        var res = http.send(HttpRequest.newBuilder(URI.create(base + "/log/checkpoint")).GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() == 200) {
                            SignedNote note = SignedNote.parse(res.body());
                            note.verify(List.of(NoteVerifier.ed25519(key.verifierKey())));
                            Checkpoint c = Checkpoint.of(note);
                            published.put(c.size(), c.rootHash());
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            int ackedBefore = acknowledged.size();
            long deadline = System.currentTimeMillis() + 60_000;
            while (acknowledged.size() < ackedBefore + 20 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            Thread.sleep(100 + round * 150L); // then kill at a different moment of the write load each round
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            p.waitFor();
            stop.set(true);
            writer.join();
            watcher.join();

            p = start(dir, port);
            awaitHealthy(base);
            int acked = acknowledged.size();
            assertTrue(acked > 0, "some messages were acknowledged before the kill");
            for (String hash : List.copyOf(acknowledged)) {
                assertEquals(200, get(base + "/api/v1/envelopes/" + hash).statusCode(), "acknowledged envelope " + hash + " survived");
            }
            String last = acknowledged.get(acked - 1);
            var receipt = get(base + "/api/v1/envelopes/" + last + "/receipt");
            assertEquals(200, receipt.statusCode(), receipt.body());
            var env = Json.parse(get(base + "/api/v1/envelopes/" + last).body()).path("envelope");
            byte[] canonical = io.parley.json.Jcs.canonicalize(env);
            ReceiptVerifier.verify(canonical, Json.parse(receipt.body()).path("tlog_proof").asText(), key.verifierKey(), List.of(), 0);

            JsonNode log = Json.parse(get(base + "/api/v1/log").body());
            long size = log.path("size").asLong();
            byte[] root = Base64.getDecoder().decode(log.path("root").asText());
            for (var e : new LinkedHashMap<>(published).entrySet()) {
                assertTrue(e.getKey() <= size, "published checkpoint " + e.getKey() + " is not beyond the recovered log " + size);
                JsonNode proof = Json.parse(get(base + "/api/v1/log/proof/consistency?old=" + e.getKey() + "&new=" + size).body());
                List<byte[]> hashes = new ArrayList<>();
                proof.path("proof").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
                MerkleProofs.verifyConsistency(e.getKey(), size, e.getValue(), root, hashes);
            }
        }
        p.destroyForcibly();
        p.waitFor();
        assertTrue(published.size() > 3, "checkpoints observed: " + published.keySet());
    }

    private Process start(Path dir, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.parley.cli.ParleyCli", "serve", "--dir", dir.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("node-" + System.nanoTime() + ".log").toFile()).start();
    }

    private void awaitHealthy(String base) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (get(base + "/healthz").statusCode() == 200 && get(base + "/.well-known/parley").statusCode() == 200) return;
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        fail("node did not start");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
