package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.testing.Concurrently;
import io.parley.testing.TestDatabases;

/** The contracts of {@link SessionStore} and {@link SecondFactorStore}, on SQLite and on a real PostgreSQL server. */
class SignInStoresContractTest {
    @TempDir Path tmp;
    private final Instant t0 = Instant.parse("2026-11-30T12:00:00Z");

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void sessionsRoundTripAndAnIdIsUsedOnce(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SessionStore store = new SessionStore(db);
            var row = new SessionStore.Row("h1", "duty", "full", "password", t0, t0, 0);
            store.insert(row);
            assertEquals(row, store.find("h1").orElseThrow());
            assertThrows(StoreException.class, () -> store.insert(new SessionStore.Row("h1", "mallory", "full", "password", t0, t0, 0)),
                    "a taken id is refused, never overwritten");
            assertEquals("duty", store.find("h1").orElseThrow().username());
            store.touch("h1", t0.plusSeconds(30));
            assertEquals(t0.plusSeconds(30), store.find("h1").orElseThrow().lastSeen());
            assertTrue(store.delete("h1"));
            assertFalse(store.delete("h1"), "only one of two ends of a session wins");
            assertTrue(store.find("h1").isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void expiryAndSignOutEverywhereRemoveExactlyTheirSessions(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SessionStore store = new SessionStore(db);
            store.insert(new SessionStore.Row("idle", "duty", "full", "password", t0, t0, 0));
            store.insert(new SessionStore.Row("old", "duty", "full", "password", t0.minusSeconds(3600), t0.plusSeconds(600), 0));
            store.insert(new SessionStore.Row("live", "duty", "full", "password", t0, t0.plusSeconds(600), 0));
            store.insert(new SessionStore.Row("other", "admin", "code", "password", t0, t0.plusSeconds(600), 0));
            assertEquals(2, store.deleteExpired(t0.plusSeconds(300), t0.minusSeconds(60)));
            assertEquals(1, store.count("duty"));
            assertEquals(1, store.deleteUser("duty"));
            assertEquals(0, store.count("duty"));
            assertTrue(store.find("other").isPresent(), "another account's session stays");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void codeAttemptsAreCountedAtomicallyUpToTheLimit(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SessionStore store = new SessionStore(db);
            store.insert(new SessionStore.Row("half", "duty", "code", "password", t0, t0, 0));
            List<Boolean> granted = Concurrently.run(12, () -> store.countAttempt("half", 5));
            assertEquals(5, granted.stream().filter(g -> g).count(), "parallel guesses get exactly the allowed attempts");
            assertEquals(5, store.find("half").orElseThrow().codeAttempts());
            assertFalse(store.countAttempt("gone", 5), "no session, no attempt");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aConfirmedSecretIsKeptAndAStepIsAcceptedOnce(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SecondFactorStore store = new SecondFactorStore(db);
            assertTrue(store.putPending("duty", "sealed-1", t0));
            assertTrue(store.putPending("duty", "sealed-2", t0), "an unconfirmed secret is replaced");
            assertEquals("sealed-2", store.find("duty").orElseThrow().sealedSecret());
            assertFalse(store.find("duty").orElseThrow().confirmed());

            List<Boolean> accepted = Concurrently.run(8, () -> store.acceptStep("duty", 100));
            assertEquals(1, accepted.stream().filter(a -> a).count(), "a code's step is accepted once, however many replay it");
            assertFalse(store.acceptStep("duty", 99), "an older step after a newer one");
            assertTrue(store.find("duty").orElseThrow().confirmed(), "an accepted code confirms the secret");
            assertFalse(store.putPending("duty", "sealed-3", t0), "a confirmed secret is kept");
            assertEquals("sealed-2", store.find("duty").orElseThrow().sealedSecret());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void attemptsAreReservedOneByOneAndALockClosesTheStep(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SecondFactorStore store = new SecondFactorStore(db);
            assertEquals(-1, store.reserveAttempt("duty", t0, n -> null), "no confirmed factor, no attempt");
            store.putPending("duty", "sealed", t0);
            store.confirm("duty");
            // the third failure locks the account for a minute: of ten parallel guesses, exactly three are counted
            List<Integer> counts = Concurrently.run(10, () -> store.reserveAttempt("duty", t0, n -> n >= 3 ? t0.plusSeconds(60) : null));
            assertEquals(List.of(1, 2, 3), counts.stream().filter(n -> n > 0).sorted().toList(), "counted: " + counts);
            assertEquals(7, counts.stream().filter(n -> n == -1).count());
            assertEquals(t0.plusSeconds(60), store.find("duty").orElseThrow().lockedUntil());
            assertEquals(4, store.reserveAttempt("duty", t0.plusSeconds(60), n -> null), "the step opens again when the lock ends");
            store.clearFailures("duty");
            assertEquals(0, store.find("duty").orElseThrow().failures());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void recoveryCodesAreReplacedTogetherAndEachIsUsedOnce(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SecondFactorStore store = new SecondFactorStore(db);
            store.putPending("duty", "sealed", t0);
            store.replaceRecoveryCodes("duty", List.of("c1", "c2", "c3"));
            assertThrows(StoreException.class, () -> store.replaceRecoveryCodes("duty", List.of("n1", "n1")),
                    "a batch that fails half-way (a repeated code)");
            assertEquals(3, store.unusedRecoveryCodes("duty"), "the failed batch left the old codes, and none of its own");
            List<Boolean> used = Concurrently.run(6, () -> store.useRecoveryCode("duty", "c2", t0));
            assertEquals(1, used.stream().filter(u -> u).count(), "a recovery code opens once");
            assertEquals(2, store.unusedRecoveryCodes("duty"));
            store.replaceRecoveryCodes("duty", List.of("n1", "n2"));
            assertFalse(store.useRecoveryCode("duty", "c1", t0), "old codes are gone");
            assertTrue(store.remove("duty"));
            assertEquals(0, store.unusedRecoveryCodes("duty"), "removing the factor removes its codes");
            assertFalse(store.remove("duty"));
        }
    }
}
