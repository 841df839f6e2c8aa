package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.testing.TestDatabases;

/** Tables that peers or strangers can make grow keep only the newest rows within their caps, on both backends. */
class StorageCapTest {
    @TempDir Path tmp;
    private final Instant t0 = Instant.parse("2026-11-30T04:00:00Z");

    private static long count(Database db, String where, Object... args) {
        return db.queryOne("SELECT COUNT(*) FROM rejections WHERE " + where, rs -> rs.getLong(1), args).orElse(0L);
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void unverifiedSummariesAreCappedAndVerifiedRecordsAreCappedPerSender(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            EnvelopeStore store = new EnvelopeStore(db);
            for (int i = 0; i < 5; i++) store.recordRejection(RejectionRecord.verified(t0, "r", "ch", "quiet.example", (long) i, "chain-gap", "d", "{\"n\":" + i + "}"));
            int flood = EnvelopeStore.MAX_UNVERIFIED_REJECTIONS + 50;
            for (int i = 0; i < flood; i++) {
                store.recordRejection(RejectionRecord.unverified(t0, "r", "ch", "z".repeat(10_000), null, "bad-signature", "d".repeat(10_000),
                        ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < EnvelopeStore.MAX_VERIFIED_REJECTIONS_PER_SENDER + 20; i++) {
                store.recordRejection(RejectionRecord.verified(t0, "r", "ch", "loud.example", (long) i, "chain-gap", "d", "{\"n\":" + i + "}"));
            }
            assertEquals(EnvelopeStore.MAX_UNVERIFIED_REJECTIONS, count(db, "verified = 0"));
            assertEquals(0, count(db, "verified = 0 AND envelope IS NOT NULL"));
            assertEquals(0, count(db, "verified = 0 AND (LENGTH(sender) > ? OR LENGTH(detail) > ?)", RejectionRecord.MAX_NAME_CHARS + 1, RejectionRecord.MAX_DETAIL_CHARS + 1));
            assertEquals(1, count(db, "verified = 0 AND envelope_sha256 = ?", io.parley.identity.Sha256.hex(("garbage " + (flood - 1)).getBytes(StandardCharsets.UTF_8))),
                    "the newest summaries are the ones kept");
            assertEquals(EnvelopeStore.MAX_VERIFIED_REJECTIONS_PER_SENDER, count(db, "verified = 1 AND sender = ?", "loud.example"));
            assertEquals(5, count(db, "verified = 1 AND sender = ?", "quiet.example"), "one loud sender does not age out another's records");
            assertEquals("{\"n\":" + (EnvelopeStore.MAX_VERIFIED_REJECTIONS_PER_SENDER + 19) + "}", store.rejections(1).getFirst().envelope());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void equivocationProofsAreCappedPerSenderAndDeliveryAttemptsPerPeer(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            EnvelopeStore store = new EnvelopeStore(db);
            var liar = io.parley.identity.SigningKey.generate("liar.example");
            var other = io.parley.identity.SigningKey.generate("other.example");
            for (int i = 0; i < EnvelopeStore.MAX_EQUIVOCATIONS_PER_SENDER + 10; i++) {
                var e = io.parley.testing.Fixtures.envelope(liar, "ch-1", 1, null, io.parley.envelope.Tlp.GREEN, "variant " + i);
                store.recordEquivocation(e, e.hash(), "kept", t0);
            }
            var e = io.parley.testing.Fixtures.envelope(other, "ch-1", 1, null, io.parley.envelope.Tlp.GREEN, "once");
            store.recordEquivocation(e, e.hash(), "kept", t0);
            assertEquals(EnvelopeStore.MAX_EQUIVOCATIONS_PER_SENDER, store.equivocations().stream().filter(q -> q.sender().equals("liar.example")).count());
            assertEquals(1, store.equivocations().stream().filter(q -> q.sender().equals("other.example")).count());

            LinkStore links = new LinkStore(db);
            for (int i = 0; i < LinkStore.MAX_ATTEMPTS_PER_PEER + 30; i++) {
                if (i % 2 == 0) links.failure("flaky.example", 1, "down", t0.plusSeconds(i));
                else links.success("flaky.example", 1, t0.plusSeconds(i));
            }
            links.success("calm.example", 1, t0);
            long flaky = db.queryOne("SELECT COUNT(*) FROM delivery_attempts WHERE peer = ?", rs -> rs.getLong(1), "flaky.example").orElseThrow();
            assertTrue(flaky <= LinkStore.MAX_ATTEMPTS_PER_PEER + 1, flaky + " attempts kept");
            assertEquals(1, db.queryOne("SELECT COUNT(*) FROM delivery_attempts WHERE peer = ?", rs -> rs.getLong(1), "calm.example").orElseThrow());
            assertEquals(LinkStore.MAX_ATTEMPTS_PER_PEER + 30, links.link("flaky.example").orElseThrow().attempts(), "the counters keep the long-run record");
        }
    }
}
