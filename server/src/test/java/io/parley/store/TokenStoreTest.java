package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.auth.Passwords;
import io.parley.auth.Permission;
import io.parley.auth.Tokens;
import io.parley.identity.Sha256;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;

/**
 * The token store on both backends, and the upgrade (V20) of the TAXII tokens that never expired into read tokens
 * that expire 90 days after the upgrade.
 */
class TokenStoreTest {
    @TempDir Path tmp;

    static java.util.stream.Stream<String> backends() {
        return TestDatabases.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void storeKeepsTheHashFindsByItAndRevokesOnce(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            TokenStore store = new TokenStore(db);
            Instant t0 = Instant.parse("2026-11-30T08:00:00Z");
            var t = new TokenStore.Token("abc123", "duty", "label ü", "write", List.of("ch-1", "ch-2"), t0, t0.plus(Duration.ofDays(3)),
                    Optional.empty(), Optional.empty(), Optional.empty());
            assertTrue(store.insert(t, "a".repeat(64)));
            assertFalse(store.insert(t, "b".repeat(64)), "a taken id is refused, not overwritten");
            assertFalse(store.insert(new TokenStore.Token("other", "duty", "x", "read", List.of("*"), t0, t0, Optional.empty(),
                    Optional.empty(), Optional.empty()), "a".repeat(64)), "a taken hash is refused");
            assertEquals(t, store.bySecretHash("a".repeat(64)).orElseThrow());
            assertTrue(store.bySecretHash("b".repeat(64)).isEmpty());
            assertEquals(List.of(t), store.list("duty"));
            assertEquals(List.of(), store.list("someone-else"));
            store.touch("abc123", t0.plusSeconds(5));
            assertEquals(Optional.of(t0.plusSeconds(5)), store.byId("abc123").orElseThrow().lastUsed());
            assertTrue(store.revoke("abc123", t0.plusSeconds(9), "chief"));
            assertFalse(store.revoke("abc123", t0.plusSeconds(10), "duty"), "revoked once; the first revocation stands");
            var revoked = store.byId("abc123").orElseThrow();
            assertEquals(Optional.of(t0.plusSeconds(9)), revoked.revoked());
            assertEquals(Optional.of("chief"), revoked.revokedBy());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anAccountHoldsAtMostAHundredWorkingTokensAndEndedOnesAreForgotten(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
            Tokens tokens = new Tokens(new TokenStore(db), new UserStore(db), clock);
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < Tokens.MAX_LIVE_PER_ACCOUNT; i++) {
                ids.add(tokens.issue("busy", "t" + i, Tokens.Scope.READ, List.of("*"), Duration.ofDays(1)).token().id());
            }
            assertThrows(Tokens.LimitReached.class, () -> tokens.issue("busy", "one more", Tokens.Scope.READ, List.of("*"), Duration.ofDays(1)));
            tokens.issue("someone-else", "theirs", Tokens.Scope.READ, List.of("*"), Duration.ofDays(1));
            assertTrue(tokens.revoke(ids.get(0), "busy"));
            tokens.issue("busy", "in place of a revoked one", Tokens.Scope.READ, List.of("*"), Duration.ofDays(1));
            clock.advance(Duration.ofDays(2));
            assertEquals(Tokens.MAX_LIVE_PER_ACCOUNT + 2, tokens.list(null).size(), "ended tokens stay listed for a while");
            clock.advance(Tokens.KEPT_AFTER_END);
            var fresh = tokens.issue("busy", "after a month", Tokens.Scope.READ, List.of("*"), Duration.ofDays(1));
            assertEquals(List.of(fresh.token()), tokens.list(null), "and are forgotten a month after they ended");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void taxiiTokensFromBeforeBecomeReadTokensThatExpire(String backend) throws Exception {
        String url = TestDatabases.freshUrl(backend, tmp);
        EarlierSchema.justBefore(url, "20");
        String legacy = "ptx_" + "Q".repeat(43);
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("INSERT INTO users (username, password_hash, role, created_at) VALUES ('misp', '"
                    + Passwords.hash("misp-password-1") + "', 'officer', 0)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO taxii_tokens (token_sha256, username, label, created_at) VALUES (?, 'misp', NULL, 1000)")) {
                ps.setString(1, Sha256.hex(legacy.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                ps.executeUpdate();
            }
        }
        Instant upgraded = Instant.now();
        try (Database db = Database.open(url)) {
            TokenStore store = new TokenStore(db);
            var t = store.list("misp").get(0);
            assertEquals("read", t.scope(), "an old TAXII token only reads now");
            assertEquals(List.of("*"), t.channels());
            assertEquals(Instant.ofEpochMilli(1000), t.created());
            long hours = ChronoUnit.HOURS.between(upgraded, t.expires());
            assertTrue(hours > 89 * 24 && hours <= 90 * 24, "expires 90 days after the upgrade: " + t.expires());
            assertTrue(db.query("SELECT secret_sha256 FROM api_tokens", rs -> rs.getString(1)).stream().noneMatch(h -> h.contains("ptx_")));
            MutableClock clock = new MutableClock(upgraded);
            Tokens tokens = new Tokens(store, new UserStore(db), clock);
            var accepted = assertInstanceOf(Tokens.Verdict.Accepted.class, tokens.authenticate(legacy));
            assertEquals("misp", accepted.owner().username());
            assertTrue(Tokens.scopeRefusal(accepted.token(), Permission.Global.UPLOAD_EVIDENCE).isPresent(), "no more TAXII adds");
            clock.advance(Duration.ofDays(91));
            assertInstanceOf(Tokens.Verdict.Refused.class, tokens.authenticate(legacy), "and it dies on its own");
            assertTrue(db.query("SELECT COUNT(*) FROM api_tokens", rs -> rs.getLong(1)).get(0) == 1);
            boolean oldTableGone;
            try {
                db.query("SELECT COUNT(*) FROM taxii_tokens", rs -> rs.getLong(1));
                oldTableGone = false;
            } catch (RuntimeException e) {
                oldTableGone = true;
            }
            assertTrue(oldTableGone, "the table of unscoped tokens is dropped");
        }
    }
}
