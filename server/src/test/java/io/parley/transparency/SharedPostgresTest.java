package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.log.MerkleProofs;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;
import io.parley.testing.TestDatabases;

/**
 * Two stateless instances of one party on one PostgreSQL database: one sequences, the other queues; when the
 * sequencer goes away the other takes over within seconds, and the log never forks.
 */
class SharedPostgresTest {
    @TempDir Path tmp;

    @Test
    void secondInstanceTakesOverSequencingWithoutForkingTheLog() throws Exception {
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        Path dirA = tmp.resolve("a");
        Path dirB = tmp.resolve("b");
        NodeConfig cfg = NodeInit.create(dirA, new NodeInit.Options("cert-a.example", "CERT-A", "CERT", "XA", 1, url, List.of()), java.time.Instant.now());
        Files.createDirectories(dirB);
        for (String f : List.of(NodeConfig.FILE, NodeConfig.KEY_FILE, NodeConfig.WITNESS_KEY_FILE)) {
            Files.copy(dirA.resolve(f), dirB.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        NodeServer a = NodeServer.start(dirA, cfg.withPort(0), Clock.systemUTC());
        a.node().log().append(bytes("warm-up"), "warm-up");
        a.node().log().awaitIndex("warm-up", Duration.ofSeconds(10)).orElseThrow();
        NodeServer b = NodeServer.start(dirB, cfg.withPort(0), Clock.systemUTC());
        try {
            // Both instances take appends; only a sequences, b's are found in the shared queue.
            for (int i = 0; i < 200; i++) {
                (i % 2 == 0 ? a : b).node().log().append(bytes("e" + i), "e" + i);
            }
            for (int i = 0; i < 200; i++) {
                assertTrue(b.node().log().awaitIndex("e" + i, Duration.ofSeconds(10)).isPresent(), "e" + i + " sequenced");
            }
            a.close(); // the sequencer goes away; its advisory lock is released with its session
            long t0 = System.nanoTime();
            for (int i = 200; i < 300; i++) b.node().log().append(bytes("e" + i), "e" + i);
            assertTrue(b.node().log().awaitIndex("e299", Duration.ofSeconds(15)).isPresent(), "b took over");
            long takeoverMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(takeoverMs < 15_000, "took over in " + takeoverMs + " ms");

            LogStore store = b.node().log().store();
            List<StoredCheckpoint> all = store.checkpoints(0, 100_000);
            StoredCheckpoint last = all.get(all.size() - 1);
            for (StoredCheckpoint c : all) {
                MerkleProofs.verifyConsistency(c.size(), last.size(), c.root(), last.root(), b.node().log().consistencyProof(c.size(), last.size()));
            }
            Set<String> refs = new HashSet<>();
            for (var e : store.entries(0, last.size())) assertTrue(refs.add(e.ref()), "entry " + e.ref() + " logged once");
            for (int i = 0; i < 300; i++) assertTrue(refs.contains("e" + i));
        } finally {
            b.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
