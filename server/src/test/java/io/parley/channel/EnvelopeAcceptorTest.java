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
        acceptor = new EnvelopeAcceptor(channels, charters, envelopes, parties, clock, accepted::add,
                new Refusals(envelopes, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), clock));
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

    private static Rejection rejected(Verdict v) {
        return assertInstanceOf(Verdict.Rejected.class, v).reason();
    }
}
