package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.parley.fuzz.FuzzBudget;
import io.parley.store.Database;
import io.parley.transparency.TransparencyLog;
import io.parley.worker.Ticker;

/**
 * Tile paths as an anonymous client sends them (GET /log/tile/..., parsed by {@link TileCoordinates#parse}) and
 * served by a real transparency log on SQLite holding {@value #SIZE} entries. Contract: parse accepts or throws
 * {@link FormatException} (404); an accepted path is the one canonical spelling of its coordinates; the log serves a
 * tile or entry bundle only when the published tree really has it at exactly that width, and then the bytes of the
 * reference tree, never those of another tile (the answer is cached as immutable).
 */
class TilePathFuzzTest {
    static final int SIZE = 300;
    private static final Served LOG = Served.open();

    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void tilePath(byte[] input) throws FormatException {
        String path = new String(input, StandardCharsets.UTF_8);
        TileCoordinates c;
        try {
            c = TileCoordinates.parse(path);
        } catch (FormatException notATile) {
            return;
        }
        assertEquals(path, c.path(), "an accepted path is not the canonical spelling of its tile");
        assertEquals(c, TileCoordinates.parse(c.path()));
        Optional<byte[]> served = c.entries() ? LOG.log.entryBundle(c) : LOG.log.tile(c);
        boolean exists = c.entries()
                ? c.index() < Long.MAX_VALUE / TileCoordinates.FULL_WIDTH && c.index() * TileCoordinates.FULL_WIDTH + c.width() <= SIZE
                : Tiles.width(c.level(), c.index(), SIZE) >= c.width();
        assertEquals(exists, served.isPresent(), "served " + c.path() + " wrongly");
        if (served.isEmpty()) return;
        if (c.entries()) {
            List<byte[]> entries = EntryBundle.decode(served.get());
            assertEquals(c.width(), entries.size());
            for (int i = 0; i < entries.size(); i++) {
                assertArrayEquals(LogEntry.of(Served.entry((int) (c.index() * TileCoordinates.FULL_WIDTH + i))), entries.get(i));
            }
        } else {
            assertArrayEquals(Tiles.read(LOG.reference, c), served.get(), "tile bytes differ from the reference tree");
        }
    }

    /** A log of SIZE entries with a published checkpoint, and the same tree in memory. */
    private record Served(TransparencyLog log, InMemoryHashStore reference) {
        static byte[] entry(int i) {
            return ("{\"entry\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        }

        static Served open() {
            try {
                Path dir = Files.createTempDirectory("parley-tile-fuzz");
                dir.toFile().deleteOnExit();
                Database db = Database.open("jdbc:sqlite:" + dir.resolve("log.db"));
                TransparencyLog log = new TransparencyLog(db, FuzzBudget.key("cert-a.example"), Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM,
                        new TransparencyLog.Settings(1024, Duration.ofMillis(5), 1L << 20));
                InMemoryHashStore reference = new InMemoryHashStore();
                List<byte[]> commitments = new ArrayList<>();
                for (int i = 0; i < SIZE; i++) {
                    log.append(entry(i), "fuzz-" + i);
                    commitments.add(LogEntry.of(entry(i)));
                }
                reference.appendEntries(commitments);
                log.awaitIndex("fuzz-" + (SIZE - 1), Duration.ofSeconds(60)).orElseThrow();
                assertTrue(log.latest().orElseThrow().size() == SIZE);
                return new Served(log, reference);
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the fuzzed log", e);
            }
        }
    }
}
