package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.identity.SigningKey;
import io.parley.store.Database;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;
import io.parley.worker.Ticker;

/**
 * Instances sharing one PostgreSQL database wake each other's sequencer through LISTEN/NOTIFY. Every log here polls
 * once an hour, so whatever is sequenced within a test's wait was woken by a ring, not found by a poll.
 */
class LogBellTest {
    /** Polls so rare that only a ring can explain a prompt sequencing. */
    private static final TransparencyLog.Settings HOURLY_POLL = new TransparencyLog.Settings(1024, Duration.ofHours(1), 1L << 20);

    @TempDir Path tmp;
    private final SigningKey key = SigningKey.generate("cert-a.example");

    @Test
    void appendQueuedByAnotherInstanceIsSequencedByTheLeaderWithoutAPoll() throws Exception {
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        try (Database db1 = Database.open(url); TransparencyLog leader = open(db1);
             Database db2 = Database.open(url); TransparencyLog other = leads(leader, db2)) {
            other.append(bytes("from-2"), "from-2");
            assertTrue(leader.awaitIndex("from-2", Duration.ofSeconds(10)).isPresent(), "the leader was rung");
            assertTrue(other.awaitIndex("from-2", Duration.ofSeconds(10)).isPresent(), "the other instance knows");
            // its own round (at its append) came before the leader's commit: only the leader's ring tells it
            assertTrue(TestNodes.eventually(10, () -> other.latest().orElseThrow().size() == 2), "the other instance was rung");
        }
    }

    @Test
    void aBellWhoseConnectionWasKilledReconnectsAndStillWakesTheLeader() throws Exception {
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        try (Database db1 = Database.open(url); TransparencyLog leader = open(db1);
             Database db2 = Database.open(url); TransparencyLog other = leads(leader, db2)) {
            assertTrue(TestNodes.eventually(10, () -> bells(db1) == 2), "both instances listen");
            int killed = db1.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?",
                    rs -> rs.getBoolean(1), PostgresLogBell.APPLICATION_NAME).size();
            assertEquals(2, killed);
            other.append(bytes("after-kill"), "after-kill");
            assertTrue(leader.awaitIndex("after-kill", Duration.ofSeconds(15)).isPresent(), "sequenced after the bell came back");
            assertTrue(TestNodes.eventually(10, () -> bells(db1) == 2), "both listen again");
        }
    }

    @Test
    void ringsStayInTheirDatabaseWhenNodesShareAServer() throws Exception {
        try (Database a = Database.open(TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp));
             Database b = Database.open(TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp));
             PostgresLogBell bellA = new PostgresLogBell(a, new SecureRandom());
             PostgresLogBell bellB = new PostgresLogBell(b, new SecureRandom())) {
            List<String> heardA = new CopyOnWriteArrayList<>();
            List<String> heardB = new CopyOnWriteArrayList<>();
            bellA.listen(recorder(heardA));
            bellB.listen(recorder(heardB));
            // a (re)connect reports each channel once, as if it had rung
            assertTrue(TestNodes.eventually(10, () -> heardA.size() == 2 && heardB.size() == 2));
            heardA.clear();
            heardB.clear();
            for (int i = 0; i < 3; i++) bellA.ringQueued();
            assertTrue(TestNodes.eventually(10, () -> heardA.contains("queued")));
            // PostgreSQL delivers in commit order: had a's rings reached b, they would come before b's own
            bellB.ringCheckpointed();
            assertTrue(TestNodes.eventually(10, () -> heardB.contains("checkpointed")));
            assertEquals(List.of("checkpointed"), heardB, "b heard only its own database's ring");
        }
    }

    private TransparencyLog open(Database db) {
        return new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, HOURLY_POLL);
    }

    /** Makes {@code leader} lead (its first append is its own), then opens a second instance on {@code db}. */
    private TransparencyLog leads(TransparencyLog leader, Database db) {
        leader.append(bytes("warm-up"), "warm-up");
        assertTrue(leader.awaitIndex("warm-up", Duration.ofSeconds(10)).isPresent());
        return open(db);
    }

    private static int bells(Database db) {
        return db.queryOne("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?",
                rs -> rs.getInt(1), PostgresLogBell.APPLICATION_NAME).orElse(0);
    }

    private static LogBell.Listener recorder(List<String> heard) {
        return new LogBell.Listener() {
            public void queued() {
                heard.add("queued");
            }

            public void checkpointed() {
                heard.add("checkpointed");
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
