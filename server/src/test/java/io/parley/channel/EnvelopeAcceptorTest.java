package io.parley.channel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Rejection;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.identity.SigningKey;
import io.parley.store.ChannelStore;
import io.parley.store.Database;
import io.parley.store.EnvelopeStore;
import io.parley.store.PartyStore;
import io.parley.store.StoredEnvelope;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;

/** DESIGN §2 acceptance rules, on SQLite and on a real PostgreSQL server. */
class EnvelopeAcceptorTest {
    @TempDir Path tmp;

    private final SigningKey alice = SigningKey.generate("cert-a.example");
    private final SigningKey bob = SigningKey.generate("cert-b.example");
    private final SigningKey mallory = SigningKey.generate("mallory.example");
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final List<StoredEnvelope> accepted = new ArrayList<>();
    /** How many transactions stored something: one per run of a batch. */
    private int commits;
    /** Log entries queued by the fixture itself (the channel's charter). */
    private long queuedAtOpen;
    private Database db;
    private EnvelopeStore envelopes;
    private PartyStore parties;
    private EnvelopeAcceptor acceptor;

    private void open(String backend) {
        db = Database.open(TestDatabases.freshUrl(backend, tmp));
        ChannelStore channels = new ChannelStore(db);
        envelopes = new EnvelopeStore(db);
        parties = new PartyStore(db);
        channels.create(Fixtures.charter("ch-1", Tlp.AMBER, alice, bob), "active", clock.instant());
        CharterBook charters = new CharterBook(channels, "observer.example", SigningKey.generate("observer.example").verifierKey(),
                origin -> java.util.Optional.<io.parley.identity.PartyCard>empty(), clock);
        acceptor = new EnvelopeAcceptor(channels, charters, envelopes, parties, clock, stored -> {
            commits++;
            accepted.addAll(stored);
        },
                new Refusals(envelopes, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), clock));
        queuedAtOpen = 0;
        queuedAtOpen = queued();
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    private Envelope next(SigningKey key, long seq, Envelope prev, String text) {
        return Fixtures.envelope(key, "ch-1", seq, prev == null ? null : prev.hash(), Tlp.GREEN, text);
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void acceptsAnUnbrokenChainInOrder(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        Envelope e2 = next(alice, 2, e1, "two");
        assertInstanceOf(Verdict.Accepted.class, acceptor.accept(e1, "test"));
        assertInstanceOf(Verdict.Accepted.class, acceptor.accept(e2, "test"));
        assertEquals(2, envelopes.head("ch-1", alice.name()).orElseThrow().seq());
        assertEquals(e2.hash(), envelopes.head("ch-1", alice.name()).orElseThrow().hash());
        assertEquals(List.of(e1, e2), envelopes.chain("ch-1", alice.name(), 0, 10).stream().map(StoredEnvelope::envelope).toList());
        assertEquals(2, accepted.size());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsEnvelopeWhoseSeqSkipsAhead(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        Envelope e2 = next(alice, 2, e1, "two");
        Envelope e3 = next(alice, 3, e2, "three");
        acceptor.accept(e1, "test");
        Rejection r = rejected(acceptor.accept(e3, "test"));
        assertEquals(new Rejection.ChainGap(alice.name(), 2, 3), r);
        assertEquals("chain-gap", envelopes.rejections(10).get(0).code());
        assertTrue(envelopes.at("ch-1", alice.name(), 3).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsFirstEnvelopeThatDoesNotStartAtOne(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        assertInstanceOf(Rejection.ChainGap.class, rejected(acceptor.accept(next(alice, 2, e1, "two"), "test")));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsEnvelopeWhosePrevIsNotTheSendersPreviousEnvelope(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        acceptor.accept(e1, "test");
        Envelope forkedPrev = Fixtures.envelope(alice, "ch-1", 2, "c".repeat(64), Tlp.GREEN, "two");
        assertInstanceOf(Rejection.ChainBreak.class, rejected(acceptor.accept(forkedPrev, "test")));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void replayOfTheSameEnvelopeIsADuplicateAndChangesNothing(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        acceptor.accept(e1, "test");
        Verdict again = acceptor.accept(e1, "test");
        assertInstanceOf(Verdict.Duplicate.class, again);
        assertEquals(1, envelopes.count());
        assertEquals(1, accepted.size());
        assertTrue(envelopes.equivocations().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void equivocationKeepsBothEnvelopesAndFlagsTheSender(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "the attack came from X");
        Envelope e1b = next(alice, 1, null, "the attack came from Y");
        acceptor.accept(e1, "test");
        Rejection r = rejected(acceptor.accept(e1b, "test"));
        assertEquals(new Rejection.Equivocation(alice.name(), 1, e1.hash(), e1b.hash()), r);
        assertEquals(e1.hash(), envelopes.at("ch-1", alice.name(), 1).orElseThrow().hash(), "the first stays in the chain");
        var proof = envelopes.equivocations();
        assertEquals(1, proof.size());
        assertEquals(e1b.hash(), proof.get(0).conflictingHash());
        Envelope kept = Envelope.fromJson(io.parley.json.Json.parse(proof.get(0).conflictingEnvelope()));
        assertTrue(EnvelopeSigner.verify(kept, alice.verifierKey()), "the conflicting envelope is kept verbatim, still verifiable");
        assertNotNull(parties.find(alice.name()).orElseThrow().flaggedReason());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void forgedConflictingEnvelopeIsABadSignatureNotAnEquivocation(String backend) {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        acceptor.accept(e1, "test");
        Envelope forged = Envelope.fromJson(Fixtures.envelope(mallory, "ch-1", 1, null, Tlp.GREEN, "one").toJson().put("from", alice.name()));
        assertInstanceOf(Rejection.BadSignature.class, rejected(acceptor.accept(forged, "test")));
        assertTrue(envelopes.equivocations().isEmpty());
        assertNull(parties.find(alice.name()).map(PartyStore.Party::flaggedReason).orElse(null));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsSenderWhoIsNotAMember(String backend) {
        open(backend);
        Rejection r = rejected(acceptor.accept(next(mallory, 1, null, "hi"), "test"));
        assertEquals(new Rejection.NotMember(mallory.name(), "ch-1"), r);
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsUnknownChannel(String backend) {
        open(backend);
        Envelope e = Fixtures.envelope(alice, "ch-nope", 1, null, Tlp.GREEN, "x");
        assertEquals(new Rejection.UnknownChannel("ch-nope"), rejected(acceptor.accept(e, "test")));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsTlpAboveTheCharterCeiling(String backend) {
        open(backend);
        Envelope red = Fixtures.envelope(alice, "ch-1", 1, null, Tlp.RED, "x");
        assertEquals(new Rejection.TlpAboveCeiling(Tlp.RED, Tlp.AMBER), rejected(acceptor.accept(red, "test")));
        assertInstanceOf(Verdict.Accepted.class, acceptor.accept(Fixtures.envelope(alice, "ch-1", 1, null, Tlp.AMBER, "x"), "test"));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void rejectsFlippedSignatureByte(String backend) {
        open(backend);
        Envelope e = next(bob, 1, null, "x");
        byte[] sig = e.signatureBytes();
        sig[10] ^= 1;
        Envelope bad = e.withSig(java.util.Base64.getEncoder().encodeToString(sig));
        assertEquals(new Rejection.BadSignature(bob.name()), rejected(acceptor.accept(bad, "10.0.0.9")));
        var rec = envelopes.rejections(1).get(0);
        assertEquals("bad-signature", rec.code());
        assertEquals("10.0.0.9", rec.remote());
        assertEquals(1L, rec.seq());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void concurrentWritersOfOneChainNeverFork(String backend) throws Exception {
        open(backend);
        Envelope e1 = next(alice, 1, null, "one");
        acceptor.accept(e1, "test");
        List<Envelope> rivals = new ArrayList<>();
        for (int i = 0; i < 8; i++) rivals.add(next(alice, 2, e1, "rival " + i));
        List<Verdict> verdicts = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (Envelope r : rivals) pool.submit(() -> verdicts.add(acceptor.accept(r, "test")));
        }
        assertEquals(1, verdicts.stream().filter(v -> v instanceof Verdict.Accepted).count());
        assertEquals(7, verdicts.stream().filter(v -> v instanceof Verdict.Rejected r && r.reason() instanceof Rejection.Equivocation).count());
        assertEquals(2, envelopes.count());
    }

    // Batches (inbox batches, catch-up pages): the same verdicts as one by one, with the chain extensions in one transaction.

    /** {@code n} links of {@code key}'s chain after {@code prev} (null: from seq 1). */
    private List<Envelope> links(SigningKey key, Envelope prev, int n, String text) {
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            prev = next(key, prev == null ? 1 : prev.seq() + 1, prev, text + " " + i);
            out.add(prev);
        }
        return out;
    }

    private static List<Envelope> interleave(List<Envelope> a, List<Envelope> b) {
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) out.add(a.get(i));
            if (i < b.size()) out.add(b.get(i));
        }
        return out;
    }

    private long queued() {
        long[] counts = db.queryOne("SELECT COUNT(*), COUNT(DISTINCT ref) FROM log_queue", rs -> new long[] {rs.getLong(1), rs.getLong(2)}).orElseThrow();
        assertEquals(counts[0], counts[1], "no envelope is queued for the log twice");
        return counts[0] - queuedAtOpen;
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aBatchOfTwoInterleavedChainsIsStoredInOneTransactionInOrderOnce(String backend) {
        open(backend);
        List<Envelope> a = links(alice, null, 60, "a");
        List<Envelope> b = links(bob, null, 40, "b");
        List<Verdict> verdicts = acceptor.acceptAll(interleave(a, b), "test");
        assertTrue(verdicts.stream().allMatch(v -> v instanceof Verdict.Accepted), verdicts::toString);
        assertEquals(1, commits, "one transaction for the whole run");
        assertEquals(a, envelopes.chain("ch-1", alice.name(), 0, 100).stream().map(StoredEnvelope::envelope).toList());
        assertEquals(b, envelopes.chain("ch-1", bob.name(), 0, 100).stream().map(StoredEnvelope::envelope).toList());
        assertEquals(100, envelopes.count());
        assertEquals(100, queued());
        assertEquals(interleave(a, b), accepted.stream().map(StoredEnvelope::envelope).toList(), "listeners hear in the order stored");
        // sent again (a retried delivery): duplicates, nothing stored or queued twice
        assertTrue(acceptor.acceptAll(interleave(a, b), "test").stream().allMatch(v -> v instanceof Verdict.Duplicate));
        assertEquals(100, envelopes.count());
        assertEquals(100, queued());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aForgedEnvelopeInABatchStopsOnlyItsChainAndIsRecordedAsUnverified(String backend) {
        open(backend);
        List<Envelope> a = links(alice, null, 5, "a");
        Envelope forged = Envelope.fromJson(Fixtures.envelope(mallory, "ch-1", 3, a.get(1).hash(), Tlp.GREEN, "forged").toJson().put("from", alice.name()));
        List<Envelope> b = links(bob, null, 5, "b");
        List<Envelope> batch = new ArrayList<>(interleave(List.of(a.get(0), a.get(1), forged, a.get(3), a.get(4)), b));
        List<Verdict> verdicts = acceptor.acceptAll(batch, "10.0.0.7");
        assertEquals(List.of(Verdict.Accepted.class, Verdict.Accepted.class, Verdict.Accepted.class, Verdict.Accepted.class,
                        Verdict.Rejected.class, Verdict.Accepted.class, Verdict.Rejected.class, Verdict.Accepted.class, Verdict.Rejected.class, Verdict.Accepted.class),
                verdicts.stream().map(Object::getClass).toList());
        assertEquals(new Rejection.BadSignature(alice.name()), rejected(verdicts.get(4)));
        assertEquals(new Rejection.ChainGap(alice.name(), 3, 4), rejected(verdicts.get(6)), "nothing is stored past the hole");
        assertEquals(2, envelopes.head("ch-1", alice.name()).orElseThrow().seq());
        assertEquals(5, envelopes.head("ch-1", bob.name()).orElseThrow().seq(), "the other chain goes on");
        var refused = envelopes.rejections(10).stream().filter(r -> r.code().equals("bad-signature")).findFirst().orElseThrow();
        assertFalse(refused.verified(), "a forgery is never recorded as alice's word");
        assertEquals("10.0.0.7", refused.remote());
        assertEquals(1, envelopes.rejections(10).size(), "the links after it are answered as gaps without a record (and a transaction) each");
        assertTrue(envelopes.equivocations().isEmpty());
        // the honest envelope arrives later: the chain resumes
        assertTrue(acceptor.acceptAll(a.subList(2, 5), "test").stream().allMatch(v -> v instanceof Verdict.Accepted));
        assertEquals(10, queued());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aRivalInABatchIsEquivocationAndTheLinksAroundItAreJudgedAsAlone(String backend) {
        open(backend);
        List<Envelope> a = links(alice, null, 3, "a");
        acceptor.accept(a.get(0), "test");
        acceptor.accept(a.get(1), "test");
        Envelope rival = next(alice, 2, a.get(0), "the other story");
        List<Verdict> verdicts = acceptor.acceptAll(List.of(a.get(0), a.get(1), rival, a.get(2)), "test");
        assertInstanceOf(Verdict.Duplicate.class, verdicts.get(0));
        assertInstanceOf(Verdict.Duplicate.class, verdicts.get(1));
        assertEquals(new Rejection.Equivocation(alice.name(), 2, a.get(1).hash(), rival.hash()), rejected(verdicts.get(2)));
        assertInstanceOf(Verdict.Accepted.class, verdicts.get(3));
        assertEquals(1, envelopes.equivocations().size());
        assertNotNull(parties.find(alice.name()).orElseThrow().flaggedReason());
        assertEquals(3, envelopes.count());
        assertEquals(3, queued());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aCrashInTheMiddleOfABatchLeavesNothingOfItsTransactionAndARetryStoresEachOnce(String backend) {
        open(backend);
        boolean pg = db.dialect() == io.parley.store.Dialect.POSTGRESQL;
        if (pg) {
            db.update("CREATE FUNCTION crash_at_three() RETURNS trigger AS $$ BEGIN IF NEW.seq = 3 THEN RAISE EXCEPTION 'disk gone'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            db.update("CREATE TRIGGER crash BEFORE INSERT ON envelopes FOR EACH ROW EXECUTE FUNCTION crash_at_three()");
        } else {
            db.update("CREATE TRIGGER crash BEFORE INSERT ON envelopes WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk gone'); END");
        }
        List<Envelope> batch = interleave(links(alice, null, 4, "a"), links(bob, null, 4, "b"));
        assertThrows(io.parley.store.StoreException.class, () -> acceptor.acceptAll(batch, "test"));
        assertEquals(0, envelopes.count(), "the links before the failure went with their transaction");
        assertEquals(0, queued());
        assertTrue(accepted.isEmpty(), "nobody was told of anything");
        db.update(pg ? "DROP TRIGGER crash ON envelopes" : "DROP TRIGGER crash");
        assertTrue(acceptor.acceptAll(batch, "test").stream().allMatch(v -> v instanceof Verdict.Accepted));
        assertEquals(8, envelopes.count());
        assertEquals(8, queued());
    }

    private static Rejection rejected(Verdict v) {
        return assertInstanceOf(Verdict.Rejected.class, v).reason();
    }
}
