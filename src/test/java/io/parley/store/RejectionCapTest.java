package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.testing.TestDatabases;

/** The rejections table keeps the newest refusals within its caps, on both backends. */
class RejectionCapTest {
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
}
