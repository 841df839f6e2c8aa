package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Passwords;
import io.parley.auth.SecondFactor;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * An attacker who holds an account's password (phished, reused, read over a shoulder) but not its TOTP device. The
 * second factor is worth something only if the password alone opens nothing and the six digits cannot be guessed
 * faster than {@link SecondFactor#verify} promises. A real node on loopback, real HTTP; time moves on its clock only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecondFactorBypassTest {
    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
    NodeServer node;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-2fa.example", null, clock);
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    private String enrolledOfficer(String user) {
        node.node().users().put(user, Passwords.hash(user + "-password"), "officer", clock.instant());
        node.node().users().setChannels(user, List.of("*"));
        String secret = node.node().secondFactor().enrolNow(user).enrolment().secretBase32();
        clock.advance(Duration.ofSeconds(30));
        return secret;
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Before the fix the lock was read before the wrong code was counted, so every guess in flight at once was checked:
     * a burst of parallel guesses over several half-signed-in sessions got far more than the five free ones, and
     * again at every reopening. Now an attempt is counted before it is checked, in one update with the lock.
     */
    @Test
    void parallelGuessesOverManyHalfSignInsGetNoMoreThanTheFreeFailures() throws Exception {
        String secret = enrolledOfficer("rita");
        String right = SecondFactor.codeAt(secret, clock.instant());
        String wrong = right.equals("000000") ? "111111" : "000000";
        List<String> halves = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var first = WebSessions.postLogin(node, "rita", "rita-password", null);
            assertEquals(303, first.statusCode(), first.body());
            halves.add(WebSessions.cookie(first));
        }
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (String half : halves) {
            for (int i = 0; i < 5; i++) {
                burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login/code")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", half)
                        .POST(HttpRequest.BodyPublishers.ofString("code=" + wrong)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            }
        }
        int checked = 0, closed = 0;
        for (var f : burst) {
            HttpResponse<String> res = f.join();
            if (res.statusCode() == 401 && res.body().contains("That code is not right")) checked++;
            else if (res.statusCode() == 429) closed++;
            else fail("unexpected answer " + res.statusCode() + ": " + res.body());
        }
        assertEquals(SecondFactor.FREE_FAILURES, checked, "guesses checked out of a burst of " + burst.size() + " (" + closed + " refused unchecked)");
        var stillClosed = WebSessions.form(node, "/login/code", WebSessions.cookie(WebSessions.postLogin(node, "rita", "rita-password", null)), "code=" + right);
        assertEquals(429, stillClosed.statusCode(), "closed for the account: even the right code waits");
        clock.advance(Duration.ofSeconds(31));
        var open = WebSessions.form(node, "/login/code", WebSessions.cookie(WebSessions.postLogin(node, "rita", "rita-password", null)),
                "code=" + SecondFactor.codeAt(secret, clock.instant()));
        assertEquals(303, open.statusCode(), "after the wait the owner signs in: " + open.body());
    }

    /**
     * Before the fix an officer who had set up a second factor still opened the whole API (and TAXII) with HTTP Basic
     * and the password alone, and could mint a year-long bearer token there: the factor guarded the web UI only.
     */
    @Test
    void thePasswordAloneOpensNeitherTheApiNorTaxiiOfAnAccountWithASecondFactor() throws Exception {
        enrolledOfficer("sam");
        var api = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node")).header("Authorization", basic("sam")).GET().build());
        assertEquals(401, api.statusCode(), api.body());
        assertTrue(api.body().contains("second-factor-required") && api.body().contains("token"), api.body());
        var mint = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/tokens")).header("Authorization", basic("sam"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"x\",\"scope\":\"write\"}")).build());
        assertEquals(401, mint.statusCode(), mint.body());
        assertTrue(node.node().tokens().list("sam").isEmpty(), "no token was issued on the password alone");
        var taxii = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/taxii2/")).header("Authorization", basic("sam"))
                .header("Accept", "application/taxii+json;version=2.1").GET().build());
        assertEquals(401, taxii.statusCode(), taxii.body());
        // on the record as refused sign-ins, never as a success that a reviewer would read as one
        var samSignIns = node.node().audit().after(0, 10_000).stream().filter(r -> r.action().equals("sign-in") && r.actor().equals("sam")).toList();
        assertTrue(samSignIns.stream().noneMatch(io.parley.audit.AuditRecord::ok), samSignIns.toString());
        assertTrue(samSignIns.stream().anyMatch(r -> r.detail().startsWith("api: password right, but")), samSignIns.toString());
        assertTrue(samSignIns.stream().anyMatch(r -> r.detail().startsWith("taxii: password right, but")), samSignIns.toString());

        // a token issued by the operator (parley token create --dir) still works, and an account without a factor keeps Basic
        var issued = node.node().tokens().issue("sam", "cli", io.parley.auth.Tokens.Scope.READ, List.of("*"), Duration.ofDays(1));
        var bearer = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node")).header("Authorization", "Bearer " + issued.secret()).GET().build());
        assertEquals(200, bearer.statusCode(), bearer.body());
        var plain = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node")).header("Authorization", TestNodes.basicAuth()).GET().build());
        assertEquals(200, plain.statusCode(), plain.body());
    }
}
