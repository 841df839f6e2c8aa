package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.charter.Charter;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;
import io.parley.timeline.CaseTimeline;

/** The contracts of {@link CaseStore} and {@link NotificationStore}, on SQLite and on a real PostgreSQL server. */
class CaseStoreContractTest {
    @TempDir Path tmp;
    private final SigningKey a = SigningKey.generate("cert-a.example");
    private final SigningKey b = SigningKey.generate("cert-b.example");
    private final Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
    /** Case ids are bound to their opener. */
    private final String case1 = CaseIds.newId(a.name(), t0), sameId = CaseIds.newId(a.name(), t0.plusSeconds(1)),
            later = CaseIds.newId(a.name(), t0.plusSeconds(2));

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void putReplacesTheRowOfACaseAndKeepsOneRowPerChannelAndId(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            CaseStore store = new CaseStore(db);
            Envelope opening = opening("ch-1", case1, 1, null, "01");
            store.put(timeline("ch-1", case1, opening), t0);
            store.put(timeline("ch-1", case1, opening), t0); // idempotent
            assertEquals(List.of(new CaseKey("ch-1", case1)), store.list(null, "open", 10));

            // the same case answered: the row is replaced, not duplicated
            store.put(timeline("ch-1", case1, opening, reply(Kind.ANSWER, "ch-1", case1, opening)), t0.plusSeconds(60));
            assertEquals(List.of(), store.list(null, "open", 10));
            assertEquals(List.of(new CaseKey("ch-1", case1)), store.list("ch-1", null, 10));
            assertEquals(1, count(db, "cases"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aCaseIdNamesOneCasePerChannelAndListsAreOrdered(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            CaseStore store = new CaseStore(db);
            store.put(timeline("ch-2", sameId, opening("ch-2", sameId, 1, null, "01")), t0);
            store.put(timeline("ch-1", sameId, opening("ch-1", sameId, 1, null, "02")), t0);
            Envelope third = opening("ch-1", later, 1, null, "03");
            store.put(timeline("ch-1", later, third), t0);
            assertEquals(List.of("ch-1", "ch-2"), store.channelsWith(sameId), "channels in name order");
            assertEquals(List.of(), store.channelsWith("nobody"));
            assertEquals(List.of(new CaseKey("ch-1", later), new CaseKey("ch-1", sameId), new CaseKey("ch-2", sameId)),
                    store.list(null, null, 10), "newest opening first");
            assertEquals(List.of(new CaseKey("ch-1", later)), store.list(null, null, 1), "the limit holds");
            assertEquals(List.of(new CaseKey("ch-2", sameId), new CaseKey("ch-1", sameId), new CaseKey("ch-1", later)),
                    store.unfinished(), "oldest opening first");

            store.put(timeline("ch-1", later, third, reply(Kind.CLOSE, a, "ch-1", later, third)), t0);
            assertFalse(store.unfinished().contains(new CaseKey("ch-1", later)), "a closed case is finished");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void anEscalationRungIsRecordedOnce(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            CaseStore store = new CaseStore(db);
            assertTrue(store.recordEscalation("ch-1", case1, "ack", 0, t0, "h1"));
            assertFalse(store.recordEscalation("ch-1", case1, "ack", 0, t0.plusSeconds(5), "h2"), "the same rung again");
            assertTrue(store.recordEscalation("ch-1", case1, "ack", 1, t0, null), "the next rung; a refused envelope has no hash");
            assertTrue(store.recordEscalation("ch-2", case1, "ack", 0, t0, "h3"), "the same case id in another channel");
            assertEquals(List.of("h1"), db.query("SELECT envelope_hash FROM escalations WHERE channel = 'ch-1' AND rung = 0",
                    rs -> rs.getString(1)), "the first record is kept");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void notificationsAreKeptPerCaseInTheOrderRecorded(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            NotificationStore store = new NotificationStore(db);
            store.record(case1, "ch-1", t0, "webhook", "https://hooks.example", "second", "failed", "HTTP 500");
            store.record("case-2", "ch-1", t0, "log", null, "other", "sent", null);
            store.record(case1, "ch-1", t0.minusSeconds(60), "email", "duty@cert-a.example", "first", "sent", null);
            store.record(null, null, t0, "log", null, "about no case", "sent", null);
            assertEquals(List.of(new Notifier.Sent(case1, "webhook", "second", "failed"), new Notifier.Sent(case1, "email", "first", "sent")),
                    store.sent(case1), "recording order, not the times given");
            assertEquals(List.of(), store.sent("case-9"));
        }
    }

    private Envelope opening(String channel, String caseId, long seq, String prev, String second) {
        Envelope draft = new Envelope(1, channel, a.name(), seq, prev, Kind.NOTIFY, caseId, "2026-11-23T10:00:" + second + "Z",
                Priority.URGENT, Tlp.GREEN, Json.object().put("summary", "scan from " + caseId), null);
        return EnvelopeSigner.sign(draft, a);
    }

    private Envelope reply(Kind kind, String channel, String caseId, Envelope opening) {
        return reply(kind, b, channel, caseId, opening);
    }

    private Envelope reply(Kind kind, SigningKey from, String channel, String caseId, Envelope opening) {
        Envelope draft = new Envelope(1, channel, from.name(), from == a ? opening.seq() + 1 : 1, from == a ? opening.hash() : null, kind, caseId,
                "2026-11-23T11:00:00Z", Priority.URGENT, Tlp.GREEN, Json.object().put("text", kind.wire()), null);
        return EnvelopeSigner.sign(draft, from);
    }

    private CaseTimeline timeline(String channel, String caseId, Envelope... envelopes) {
        Charter charter = Fixtures.charter(channel, Tlp.AMBER, a, b);
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (Envelope e : envelopes) items.add(new CaseTimeline.Item(e, e.hash()));
        return CaseTimeline.of(caseId, items, charter).orElseThrow();
    }

    private static long count(Database db, String table) {
        return db.queryOne("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow();
    }
}
