package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditRecord;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/**
 * Issue 11, throttling: a password can no longer be guessed without limit over HTTP Basic (API, TAXII, web). A real
 * node on loopback; clients come from different loopback addresses (127.0.0.x) so that per-address and per-account
 * counting can be told apart; time moves on the node's injected clock only. Before the fix every one of these
 * attempts was checked, so the 429s asserted here were 401s (or 200s for the right password).
 */
class SignInThrottlingTest {
    private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();
    @TempDir Path tmp;
    private MutableClock clock;
    private NodeServer node;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        node = TestNodes.start(tmp, "cert-t.example", null, clock);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static HttpClient from(String address) {
        return CLIENTS.computeIfAbsent(address, a -> {
            try {
                return HttpClient.newBuilder().localAddress(InetAddress.getByName(a)).connectTimeout(Duration.ofSeconds(5)).build();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private HttpResponse<String> get(String address, String path, String user, String password) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return from(address).send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> api(String address, String user, String password) throws Exception {
        return get(address, "/api/v1/node", user, password);
    }

    private static long retryAfter(HttpResponse<String> res) {
        return Long.parseLong(res.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After on " + res.statusCode())));
    }

    private static void assertThrottled(HttpResponse<String> res, long seconds, String why) {
        assertEquals(429, res.statusCode(), why + ": " + res.body());
        assertEquals(seconds, retryAfter(res), why);
    }

    private List<AuditRecord> signIns() {
        return node.node().audit().after(0, 10_000).stream().filter(r -> r.action().equals(AuditAction.SIGN_IN.code())).toList();
    }

    @Test
    void afterFiveWrongPasswordsEvenTheRightOneIsRefusedUntilTheWaitIsOverAndTheWaitDoubles() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals(401, api("127.0.0.1", TestNodes.USER, "wrong-" + i).statusCode(), "attempt " + (i + 1) + " is checked");
        var throttled = api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD);
        assertThrottled(throttled, 1, "the right password while throttled");
        assertTrue(throttled.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), throttled.headers().toString());
        assertTrue(throttled.body().contains("too-many-requests"), throttled.body());
        assertFalse(throttled.body().contains("cert-t.example"), "a refusal shows nothing of the node's data");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(401, api("127.0.0.1", TestNodes.USER, "wrong-5").statusCode(), "released once the clock has moved");
        assertThrottled(api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD), 2, "the wait doubles");
        clock.advance(Duration.ofSeconds(1));
        assertThrottled(api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD), 1, "half way through the wait");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(401, api("127.0.0.1", TestNodes.USER, "wrong-6").statusCode());
        assertThrottled(api("127.0.0.1", TestNodes.USER, "wrong-7"), 4, "and doubles again");
        clock.advance(Duration.ofSeconds(4));
        assertEquals(200, api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "the right password once the wait is over");
        for (int i = 0; i < 3; i++) assertEquals(200, api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD).statusCode());
        for (int i = 0; i < 5; i++) assertEquals(401, api("127.0.0.1", TestNodes.USER, "again-" + i).statusCode(), "a success cleared the count here");

        List<AuditRecord> records = signIns();
        List<AuditRecord> refused = records.stream().filter(r -> !r.ok()).toList();
        assertEquals(12, refused.size(), "every checked failure is on the record, no throttled attempt: " + records);
        assertTrue(refused.stream().allMatch(r -> r.from().equals("127.0.0.1") && r.actor().equals(TestNodes.USER)), records.toString());
        assertTrue(refused.get(4).detail().contains("throttled, next attempt in 1 s"), "the start of a wait is recorded: " + refused.get(4));
        List<AuditRecord> done = records.stream().filter(AuditRecord::ok).toList();
        assertEquals(1, done.size(), "four successful Basic requests, one record (the one after failures): " + done);
        assertTrue(done.get(0).detail().contains("after 7 failed attempts"), done.get(0).detail());
        for (AuditRecord r : records) {
            assertFalse((r.actor() + r.target() + r.detail()).contains(TestNodes.PASSWORD), "no password on the record: " + r);
            assertFalse((r.actor() + r.target() + r.detail()).contains("wrong-"), "no password on the record: " + r);
        }
    }

    @Test
    void theAccountAtAnotherAddressAndAnotherAccountAtThisAddressAreNotHeldUpButAnAddressSprayingNamesIs() throws Exception {
        for (int i = 0; i < 5; i++) api("127.0.0.1", TestNodes.USER, "wrong-" + i);
        assertThrottled(api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD), 1, "this account at this address");
        assertEquals(200, api("127.0.0.2", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "the same account from another address");
        assertEquals(401, api("127.0.0.1", "someone-else", "x").statusCode(), "another name from this address is still checked");

        for (int i = 0; i < 20; i++) assertEquals(401, api("127.0.0.3", "name-" + i, "x").statusCode(), "name " + i);
        assertThrottled(api("127.0.0.3", "name-20", "x"), 1, "one address spraying twenty names");
        assertThrottled(api("127.0.0.3", TestNodes.USER, TestNodes.PASSWORD), 1, "even the right password of a real account from there");
        assertEquals(200, api("127.0.0.4", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "other addresses are not affected");
    }

    @Test
    void failingOnPurposeFromManyAddressesCannotLockTheOfficerOutOfTheirUsualAddress() throws Exception {
        assertEquals(200, api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "the officer's usual address");
        for (int i = 0; i < 10; i++) assertEquals(401, api("127.0.0." + (10 + i), TestNodes.USER, "guess").statusCode());
        var fresh = api("127.0.0.20", TestNodes.USER, TestNodes.PASSWORD);
        assertThrottled(fresh, 1, "a distributed guesser meets the account-wide wait at a new address");
        assertEquals(200, api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "the usual address is exempt");

        long longest = 0;
        for (int i = 0; i < 10; i++) { // the attacker keeps failing from new addresses as soon as it may
            var res = api("127.0.0." + (30 + i), TestNodes.USER, "guess-" + i);
            if (res.statusCode() == 429) {
                longest = Math.max(longest, retryAfter(res));
                clock.advance(Duration.ofSeconds(retryAfter(res)));
                res = api("127.0.0." + (30 + i), TestNodes.USER, "guess-" + i);
            }
            assertEquals(401, res.statusCode());
            assertEquals(200, api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "the officer still signs in, round " + i);
        }
        assertEquals(60, longest, "the account-wide wait is capped low (1 min), so the attacker only slows new places");

        for (int i = 0; i < 20; i++) api("127.0.0.1", "sprayed-" + i, "x"); // someone behind the officer's NAT sprays names
        assertThrottled(api("127.0.0.1", "sprayed-20", "x"), 1, "the address is held back for names it has not signed in with");
        assertEquals(200, api("127.0.0.1", TestNodes.USER, TestNodes.PASSWORD).statusCode(), "but not for the officer who signs in there");
    }

    @Test
    void anUnknownNameIsThrottledExactlyLikeAKnownOne() throws Exception {
        List<String> known = new ArrayList<>(), unknown = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            var k = api("127.0.0.5", TestNodes.USER, "guess-" + i);
            var u = api("127.0.0.6", "ghost", "guess-" + i);
            known.add(k.statusCode() + " " + k.headers().firstValue("Retry-After").orElse("-"));
            unknown.add(u.statusCode() + " " + u.headers().firstValue("Retry-After").orElse("-"));
            if (i % 3 == 2) clock.advance(Duration.ofSeconds(2));
        }
        assertEquals(known, unknown, "the same answers and waits, so throttling does not tell which accounts exist");
        assertTrue(known.stream().anyMatch(s -> s.startsWith("429")), known.toString());
        List<AuditRecord> ghost = signIns().stream().filter(r -> r.from().equals("127.0.0.6")).toList();
        assertFalse(ghost.isEmpty());
        assertTrue(ghost.stream().allMatch(r -> r.actor().equals("(unknown account)") && !r.ok()),
                "a name that is no account is not written down (it may be a password typed in the wrong field): " + ghost);
    }

    @Test
    void taxiiBasicIsThrottledToo() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals(401, get("127.0.0.7", "/taxii2/", TestNodes.USER, "wrong-" + i).statusCode());
        var res = get("127.0.0.7", "/taxii2/", TestNodes.USER, TestNodes.PASSWORD);
        assertThrottled(res, 1, "TAXII");
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/taxii+json"), "a TAXII error message: " + res.headers());
        assertTrue(res.body().contains("\"http_status\":\"429\""), res.body());
        assertThrottled(api("127.0.0.7", TestNodes.USER, TestNodes.PASSWORD), 1, "and the API, which shares the counters");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, get("127.0.0.7", "/taxii2/", TestNodes.USER, TestNodes.PASSWORD).statusCode());
        assertTrue(signIns().stream().anyMatch(r -> !r.ok() && r.detail().startsWith("taxii")), signIns().toString());
    }

    /** The web UI's sign-in form, posted from {@code address}. */
    private HttpResponse<String> login(String address, String user, String password) throws Exception {
        return from(address).send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + io.parley.testing.WebSessions.enc(user) + "&password="
                        + io.parley.testing.WebSessions.enc(password))).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theWebUiSignInIsThrottledToo() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals(401, login("127.0.0.8", TestNodes.USER, "wrong-" + i).statusCode());
        var res = login("127.0.0.8", TestNodes.USER, TestNodes.PASSWORD);
        assertThrottled(res, 1, "web");
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), res.headers().toString());
        assertTrue(res.body().contains("Too many failed sign-ins") && res.body().contains("Try again in 1s."), res.body());
        assertNull(io.parley.testing.WebSessions.cookie(res), "the right password, throttled, starts no session");
        assertThrottled(api("127.0.0.8", TestNodes.USER, TestNodes.PASSWORD), 1, "and the API, which shares the counters");
        clock.advance(Duration.ofSeconds(1));
        var ok = login("127.0.0.8", TestNodes.USER, TestNodes.PASSWORD);
        assertEquals(303, ok.statusCode(), ok.body());
        assertNotNull(io.parley.testing.WebSessions.cookie(ok));
        assertTrue(signIns().stream().anyMatch(r -> !r.ok() && r.detail().startsWith("web")), signIns().toString());
        // one record for the session started, saying what made it notable; not a second one from the password check
        var successes = signIns().stream().filter(r -> r.ok() && r.from().equals("127.0.0.8")).toList();
        assertEquals(1, successes.size(), successes.toString());
        assertTrue(successes.get(0).detail().startsWith("web: password, after 5 failed attempts"), successes.get(0).detail());
    }
}
