package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

class LogCliTest {
    @TempDir Path tmp;

    @Test
    void checkpointProofsAndReceiptsVerifyFromTheCommandLine() throws Exception {
        try (NodeServer node = TestNodes.start(tmp, "cert-a.example")) {
            for (int i = 0; i < 300; i++) node.node().log().append(("entry " + i).getBytes(StandardCharsets.UTF_8), "x" + i);
            node.node().log().awaitIndex("x299", Duration.ofSeconds(10)).orElseThrow();
            String url = node.baseUrl();
            String fp = node.node().key().verifierKey().fingerprint();

            var cp = CliTest.run("log", "checkpoint", "--url", url, "--fingerprint", fp);
            assertEquals(0, cp.code(), cp.err());
            assertTrue(cp.out().contains("origin: cert-a.example"), cp.out());
            assertTrue(cp.out().contains("verified"));

            var inc = CliTest.run("log", "proof", "inclusion", "--url", url, "--index", "257");
            assertEquals(0, inc.code(), inc.err());
            assertTrue(inc.out().startsWith("entry 257 is included"), inc.out());

            String size = cp.out().lines().filter(l -> l.startsWith("size:")).findFirst().orElseThrow().substring(5).trim();
            var con = CliTest.run("log", "proof", "consistency", "--url", url, "--old", "100");
            assertEquals(0, con.code(), con.err());
            assertTrue(con.out().contains("is a prefix of checkpoint " + size), con.out());

            var badRoot = CliTest.run("log", "proof", "consistency", "--url", url, "--old", "100", "--old-root", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
            assertNotEquals(0, badRoot.code());
            assertEquals(1, badRoot.err().strip().lines().count(), badRoot.err());

            var wrongFp = CliTest.run("log", "checkpoint", "--url", url, "--fingerprint", "SHA256:nope");
            assertNotEquals(0, wrongFp.code());
            assertTrue(wrongFp.err().contains("fingerprint"), wrongFp.err());

            var outOfRange = CliTest.run("log", "proof", "inclusion", "--url", url, "--index", "999999");
            assertNotEquals(0, outOfRange.code());
            assertTrue(outOfRange.err().contains("--index"), outOfRange.err());

            // a receipt for a real envelope, checked offline
            var peer = io.parley.identity.SigningKey.generate("cert-b.example");
            node.node().channels().create(Fixtures.charter("ch-1", Tlp.AMBER, node.node().key(), peer), "active", node.node().now());
            var env = Fixtures.envelope(peer, "ch-1", 1, null, Tlp.GREEN, "hello");
            var res = TestNodes.post(node, "/federation/v1/inbox", Json.write(env.toJson()));
            assertEquals(201, res.statusCode(), res.body());
            Path receipt = tmp.resolve("receipt.json");
            Path envelope = tmp.resolve("envelope.json");
            Files.writeString(receipt, res.body());
            Files.writeString(envelope, Json.write(env.toJson()));
            String key = node.node().key().verifierKey().encoded();
            var ok = CliTest.run("log", "verify-receipt", "--receipt", receipt.toString(), "--envelope", envelope.toString(), "--key", key);
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().startsWith("receipt verified"), ok.out());
            var other = Fixtures.envelope(peer, "ch-1", 1, null, Tlp.GREEN, "something else");
            Files.writeString(envelope, Json.write(other.toJson()));
            var bad = CliTest.run("log", "verify-receipt", "--receipt", receipt.toString(), "--envelope", envelope.toString(), "--key", key);
            assertNotEquals(0, bad.code());
            assertTrue(bad.err().startsWith("parley: receipt does not verify"), bad.err());
        }
    }
}
