package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Passwords;
import io.parley.auth.SecondFactor;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;
import io.parley.testing.WebSessions;

/**
 * Two instances of one node on one PostgreSQL database (behind a load balancer, say): a session started at one works
 * at the other, with the same form token; the second sign-in step may land on either; a TOTP code accepted by one is
 * refused by the other; signing out at one ends the session at both.
 */
class SharedSessionsTest {
    @TempDir Path tmp;

    @Test
    void sessionsCodesAndSignOutAreSharedByInstancesOfOneNode() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        Path dirA = tmp.resolve("a"), dirB = tmp.resolve("b");
        NodeConfig cfg = NodeInit.create(dirA, new NodeInit.Options("cert-m.example", "CERT-M", "CERT", "XM", 1, url, List.of()), Instant.now());
        try (NodeServer a = NodeServer.start(dirA, cfg.withPort(0), clock)) {
            Files.createDirectories(dirB);
            for (String f : List.of(NodeConfig.FILE, NodeConfig.KEY_FILE, NodeConfig.WITNESS_KEY_FILE, NodeConfig.TOTP_KEY_FILE)) {
                Files.copy(dirA.resolve(f), dirB.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
            try (NodeServer b = NodeServer.start(dirB, cfg.withPort(0), clock)) {
                a.node().users().put("duty", Passwords.hash("shared-password"), "viewer", clock.instant());
                String secret = a.node().secondFactor().enrolNow("duty").enrolment().secretBase32();
                clock.advance(Duration.ofSeconds(30));

                var first = WebSessions.postLogin(a, "duty", "shared-password", null);
                String half = WebSessions.cookie(first);
                String code = SecondFactor.codeAt(secret, clock.instant());
                var second = WebSessions.form(b, "/login/code", half, "code=" + code);
                assertEquals(303, second.statusCode(), "the code step at the other instance: " + second.body());
                String session = WebSessions.cookie(second);
                assertEquals(200, WebSessions.get(a, session, "/").statusCode());
                assertEquals(200, WebSessions.get(b, session, "/").statusCode());

                var replay = WebSessions.form(a, "/login/code", WebSessions.cookie(WebSessions.postLogin(a, "duty", "shared-password", null)), "code=" + code);
                assertEquals(401, replay.statusCode(), "the code b accepted is refused by a");

                String token = WebSessions.csrf(a, session, "/");
                var out = WebSessions.form(b, "/logout", session, "csrf=" + token);
                assertEquals(303, out.statusCode(), "a's form token is good at b: " + out.body());
                assertEquals(303, WebSessions.get(a, session, "/").statusCode(), "signed out at b, so at a too");
            }
        }
    }
}
