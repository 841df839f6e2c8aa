package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.auth.Authenticator;
import io.parley.auth.Passwords;
import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;

/** The same contract for every store on SQLite and on a real PostgreSQL server. */
class StoreContractTest {
    @TempDir Path tmp;
    private final Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
    private final SigningKey a = SigningKey.generate("cert-a.example");
    private final SigningKey b = SigningKey.generate("cert-b.example");

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void committedWritesSurviveReopeningTheDatabase(String backend) {
        String url = TestDatabases.freshUrl(backend, tmp);
        Envelope e = Fixtures.envelope(a, "ch-1", 1, null, Tlp.GREEN, "durable");
        try (Database db = Database.open(url)) {
            new ChannelStore(db).create(Fixtures.charter("ch-1", Tlp.AMBER, a, b), "active", t0);
            assertTrue(new EnvelopeStore(db).insert(e, e.hash(), t0));
        }
        try (Database db = Database.open(url)) { // migrations run again and must be a no-op
            var stored = new EnvelopeStore(db).byHash(e.hash()).orElseThrow();
            assertEquals(e, stored.envelope());
            assertEquals(t0, stored.receivedAt());
            assertEquals("ch-1", new ChannelStore(db).charter("ch-1").orElseThrow().channel());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void insertRefusesATakenSeqOrHashWithoutOverwriting(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            EnvelopeStore store = new EnvelopeStore(db);
            Envelope e = Fixtures.envelope(a, "ch-1", 1, null, Tlp.GREEN, "first");
            Envelope rival = Fixtures.envelope(a, "ch-1", 1, null, Tlp.GREEN, "second");
            assertTrue(store.insert(e, e.hash(), t0));
            assertFalse(store.insert(e, e.hash(), t0));
            assertFalse(store.insert(rival, rival.hash(), t0));
            assertEquals(e.hash(), store.at("ch-1", a.name(), 1).orElseThrow().hash());
            assertEquals(1, store.count());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void chainAndChannelQueriesPageInOrder(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            EnvelopeStore store = new EnvelopeStore(db);
            String prevA = null, prevB = null;
            for (int i = 1; i <= 5; i++) {
                Envelope ea = Fixtures.envelope(a, "ch-1", i, prevA, Tlp.GREEN, "a" + i);
                Envelope eb = Fixtures.envelope(b, "ch-1", i, prevB, Tlp.GREEN, "b" + i);
                store.insert(ea, ea.hash(), t0);
                store.insert(eb, eb.hash(), t0);
                prevA = ea.hash();
                prevB = eb.hash();
            }
            var chain = store.chain("ch-1", a.name(), 2, 2);
            assertEquals(java.util.List.of(3L, 4L), chain.stream().map(s -> s.envelope().seq()).toList());
            var page1 = store.inChannel("ch-1", 0, 4);
            var page2 = store.inChannel("ch-1", page1.get(3).id(), 100);
            assertEquals(4, page1.size());
            assertEquals(6, page2.size());
            assertEquals(prevB, store.head("ch-1", b.name()).orElseThrow().hash());
            assertTrue(store.head("ch-2", b.name()).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void partiesUsersAndChannelsRoundTrip(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            PartyStore parties = new PartyStore(db);
            parties.put("cert-a.example", a.verifierKey().encoded(), a.verifierKey().fingerprint(), "{}", t0);
            parties.put("cert-a.example", a.verifierKey().encoded(), a.verifierKey().fingerprint(), "{\"v\":1}", t0.plusSeconds(1));
            parties.flag("cert-a.example", "first reason", t0);
            parties.flag("cert-a.example", "second reason", t0);
            var party = parties.find("cert-a.example").orElseThrow();
            assertEquals("{\"v\":1}", party.card());
            assertEquals("first reason", party.flaggedReason());

            UserStore users = new UserStore(db);
            users.put("duty", Passwords.hash("correct horse"), "officer", t0);
            Authenticator auth = new Authenticator(users);
            assertTrue(auth.authenticate("duty", "correct horse").isPresent());
            assertTrue(auth.authenticate("duty", "correct horse").isPresent(), "cached path");
            assertTrue(auth.authenticate("duty", "wrong").isEmpty());
            assertTrue(auth.authenticate("nobody", "correct horse").isEmpty());

            ChannelStore channels = new ChannelStore(db);
            var charter = Fixtures.charter("ch-9", Tlp.RED, a, b);
            assertTrue(channels.create(charter, "active", t0));
            assertFalse(channels.create(charter, "active", t0));
            assertEquals(charter, channels.charter("ch-9").orElseThrow());
            assertEquals(1, channels.all().size());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void concurrentWritersOfOneAccountOrPartyAllSucceedAndOneIsKept(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            UserStore users = new UserStore(db);
            PartyStore parties = new PartyStore(db);
            var n = new java.util.concurrent.atomic.AtomicInteger();
            io.parley.testing.Concurrently.run(8, () -> {
                int i = n.getAndIncrement();
                // a creation racing another of the same name used to fail on the primary key
                users.put("duty", "hash-" + i, "officer", t0);
                parties.put("cert-c.example", "key-" + i, "fp-" + i, "{\"n\":" + i + "}", t0);
                parties.flag("cert-d.example", "reason " + i, t0);
                return null;
            });
            String kept = users.find("duty").orElseThrow().passwordHash();
            assertTrue(kept.matches("hash-[0-7]"), kept);
            var party = parties.find("cert-c.example").orElseThrow();
            assertEquals(party.verifierKey().substring(4), party.fingerprint().substring(3), "one writer's card whole, not a mix");
            assertTrue(parties.find("cert-d.example").orElseThrow().flaggedReason().startsWith("reason "));

            users.disable("duty", t0);
            users.put("duty", "hash-new", "viewer", t0.plusSeconds(1));
            assertTrue(users.find("duty").isEmpty(), "replacing an account's password and role does not enable it");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void channelGrantsAreReplacedWhole(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            UserStore users = new UserStore(db);
            users.put("duty", "hash", "officer", t0);
            users.setChannels("duty", java.util.List.of("ch-1", "ch-2", "ch-1"));
            assertEquals(java.util.Set.of("ch-1", "ch-2"), users.channels("duty"));
            users.setChannels("duty", java.util.List.of("*"));
            assertEquals(java.util.Set.of("*"), users.channels("duty"));
            users.setChannels("duty", java.util.List.of());
            assertEquals(java.util.Set.of(), users.channels("duty"));
        }
    }

    /**
     * Issue 11, password storage: new hashes are Argon2id PHC strings; a PBKDF2 hash of an earlier version still
     * verifies and is replaced by an Argon2id one at the first successful sign-in (and never at a failed one).
     */
    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void passwordsAreArgon2idAndOldPbkdf2HashesAreUpgradedAtSignIn(String backend) throws Exception {
        // the reference implementation's encoding (argon2 CLI: -id -t 2 -k 19456 -p 1 -l 32), so ours interoperates
        String reference = "$argon2id$v=19$m=19456,t=2,p=1$YzI5dFpYTmhiSFJ6WVd4ME1USXo$v8Cb3UatA7ILg/EYJpb+TNYIflLoaKwrjLtaRwjhlZk";
        assertTrue(Passwords.verify("correct horse", reference));
        assertFalse(Passwords.verify("correct horsf", reference));
        assertTrue(Passwords.hash("x").matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"));
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            UserStore users = new UserStore(db);
            String legacy = pbkdf2("correct horse");
            users.put("duty", legacy, "officer", t0);
            Authenticator auth = new Authenticator(users);
            assertTrue(auth.authenticate("duty", "wrong").isEmpty());
            assertEquals(legacy, users.find("duty").orElseThrow().passwordHash(), "a failed sign-in changes nothing");
            assertTrue(auth.authenticate("duty", "correct horse").isPresent(), "the old hash still verifies");
            String upgraded = users.find("duty").orElseThrow().passwordHash();
            assertTrue(upgraded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded);
            assertFalse(Passwords.needsRehash(upgraded));
            assertTrue(Passwords.verify("correct horse", upgraded));
            Authenticator fresh = new Authenticator(users); // no remembered digest: the Argon2id hash itself verifies
            assertTrue(fresh.authenticate("duty", "correct horse").isPresent());
            assertTrue(fresh.authenticate("duty", "wrong").isEmpty());
            assertEquals(upgraded, users.find("duty").orElseThrow().passwordHash(), "an Argon2id hash is left as it is");
        }
    }

    /** A hash as versions before Argon2id wrote it: {@code pbkdf2-sha256$210000$<salt>$<hash>}. */
    private static String pbkdf2(String password) throws Exception {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        var spec = new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, 210_000, 256);
        byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        var b64 = java.util.Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$210000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }
}
