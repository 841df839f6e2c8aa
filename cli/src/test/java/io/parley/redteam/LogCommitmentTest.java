package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.cli.CliTest;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.log.EntryBundle;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;
import io.parley.node.NodeConfig;
import io.parley.receipt.ReceiptVerifier;
import io.parley.server.NodeServer;
import io.parley.store.Database;
import io.parley.testing.TestNodes;
import io.parley.transparency.OldLogFormatException;

/**
 * Issue 10 item 1: the public log must be a log of commitments. An anonymous client that reads every entry bundle
 * gets 32-byte hashes and nothing else; whoever holds the envelope can still prove it was logged; a database holding
 * a log of the old format (item bytes as entries) is refused at start.
 */
class LogCommitmentTest {
    @TempDir Path tmp;

    static final String SECRET = "walkmark-item1 Атака на энергосеть, 不要外传";

    @Test
    void anonymousClientReadsOnlyHashesFromEntryBundles() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            TestNodes.establish(TestNodes.charter("strict-ab", Tlp.AMBER_STRICT, net.a, net.b), net.a, net.b);
            String hash = HostileNetwork.send(net.a, "strict-ab", Tlp.AMBER_STRICT, SECRET);
            for (NodeServer n : List.of(net.a, net.b)) {
                assertTrue(TestNodes.eventually(10, () -> n.node().envelopes().byHash(hash).isPresent()));
                n.node().log().awaitIndex(hash, Duration.ofSeconds(10)).orElseThrow();
                long size = n.node().log().latest().orElseThrow().size();
                List<String> entries = new ArrayList<>();
                for (TileCoordinates c : Tiles.changedEntryBundles(0, size)) {
                    var res = HostileNetwork.rawGet(n, "/log/" + c.path());
                    assertEquals(200, res.statusCode(), c.path());
                    String text = new String(res.body(), StandardCharsets.UTF_8);
                    assertFalse(text.contains("walkmark-item1") || text.contains("энергосеть") || text.contains("strict-ab"),
                            n.node().origin() + " serves message text in " + c.path());
                    assertEquals(34L * c.width(), res.body().length, "each entry is a 2-byte length and a 32-byte hash");
                    for (byte[] e : EntryBundle.decode(res.body(), c)) {
                        assertEquals(32, e.length);
                        entries.add(HexFormat.of().formatHex(e));
                    }
                }
                assertTrue(entries.contains(hash), "the envelope's commitment (its SHA-256, i.e. its hash) is an entry at " + n.node().origin());
            }
        }
    }

    @Test
    void holderOfTheEnvelopeStillProvesItsInclusion() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            TestNodes.establish(TestNodes.charter("amber-ab", Tlp.AMBER, net.a, net.b), net.a, net.b);
            String hash = HostileNetwork.send(net.a, "amber-ab", Tlp.AMBER, SECRET);
            assertTrue(TestNodes.eventually(10, () -> net.b.node().envelopes().byHash(hash).isPresent()));
            var envelope = net.b.node().envelopes().byHash(hash).orElseThrow().envelope();
            // the recipient's receipt, checked offline from the envelope alone
            var receipt = Json.parse(TestNodes.get(net.b, "/api/v1/envelopes/" + hash + "/receipt").body());
            ReceiptVerifier.verify(envelope.canonicalBytes(), receipt.path("tlog_proof").asText(), net.b.node().key().verifierKey(), List.of(), 0);
            // and from the command line, by anyone, from the public tiles and the envelope file
            Path file = tmp.resolve("envelope.json");
            Files.writeString(file, Json.write(envelope.toJson()));
            long index = receipt.path("index").asLong();
            var r = CliTest.run("log", "proof", "inclusion", "--url", net.b.baseUrl(), "--index", Long.toString(index), "--envelope", file.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("entry " + index + " (envelope " + hash + ") is included"), r.out());
            var wrong = CliTest.run("log", "proof", "inclusion", "--url", net.b.baseUrl(), "--index", Long.toString(index - 1), "--envelope", file.toString());
            assertNotEquals(0, wrong.code());
            assertTrue(wrong.err().contains("is not envelope " + hash), wrong.err());
        }
    }

    @Test
    void nodeWithAnOldFormatLogRefusesToStart() throws Exception {
        NodeServer first = TestNodes.start(tmp, "cert-a.example");
        Path dir = first.node().dir();
        assertTrue(TestNodes.eventually(10, () -> first.node().log().latest().map(c -> c.size() > 0).orElse(false)), "the card is logged");
        first.close();
        NodeConfig cfg = NodeConfig.load(dir);
        // what the old format wrote: the item's canonical bytes as the entry
        byte[] oldEntry = "{\"body\":{\"text\":\"old-format entry\"},\"channel\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        try (Database db = Database.open(cfg.jdbcUrl(dir), cfg.dbUser(), cfg.dbPassword())) {
            assertEquals(1, db.update("UPDATE log_entries SET data = ? WHERE idx = 0", (Object) oldEntry));
        }
        var e = assertThrows(OldLogFormatException.class, () -> TestNodes.start(tmp, "cert-a.example"));
        assertTrue(e.getMessage().contains("old format") && !e.getMessage().contains("\n"), e.getMessage());

        var serve = CliTest.run("serve", "--dir", dir.toString(), "--port", "0");
        assertEquals(1, serve.code(), serve.out() + serve.err());
        assertEquals(1, serve.err().strip().lines().count(), serve.err());
        assertTrue(serve.err().startsWith("parley: the transparency log in this database is in the old format"), serve.err());
    }

    @Test
    void oldFormatAppendStillQueuedIsRefusedToo() throws Exception {
        NodeServer first = TestNodes.start(tmp, "cert-a.example");
        Path dir = first.node().dir();
        first.close();
        NodeConfig cfg = NodeConfig.load(dir);
        try (Database db = Database.open(cfg.jdbcUrl(dir), cfg.dbUser(), cfg.dbPassword())) {
            db.update("INSERT INTO log_queue (data, ref, enqueued_at) VALUES (?, ?, ?)",
                    "{\"text\":\"queued by the old version\"}".getBytes(StandardCharsets.UTF_8), "old-ref", 0L);
        }
        var e = assertThrows(OldLogFormatException.class, () -> TestNodes.start(tmp, "cert-a.example"));
        assertTrue(e.getMessage().contains("queued append"), e.getMessage());
    }
}
