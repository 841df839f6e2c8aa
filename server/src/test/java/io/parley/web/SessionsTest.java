package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import io.parley.auth.Passwords;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * Web sign-in with server-side sessions, in headless Chromium and over raw HTTP: the login form, the cookie's
 * attributes, sign-out ending the session on the server (and the back button then showing nothing), session fixation,
 * idle and absolute timeouts on the node's injected clock, sessions of changed or disabled accounts, the open-redirect
 * and cross-site guards of the form, and the API refusing the session cookie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionsTest {
    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
    NodeServer node;
    Browser browser;

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-s.example", null, clock);
        browser = Browser.start(tmp.resolve("chrome"));
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (node != null) node.close();
    }

    String cookieName() {
        return SessionCookie.name(node.node().origin(), false);
    }

    @Test
    void signInThroughTheFormSeeTheDeskSignOutAndTheBackButtonShowsNothing() throws Exception {
        browser.open(node.baseUrl() + "/channels/anything");
        assertEquals("/login", browser.path(), "sent to the sign-in form");
        assertTrue(browser.driver.getCurrentUrl().endsWith("?next=%2Fchannels%2Fanything"), browser.driver.getCurrentUrl());
        Path shot = Path.of("target", "screenshots", "login.png");
        Files.createDirectories(shot.getParent());
        browser.screenshot(shot);
        assertTrue(Files.size(shot) > 5_000);

        browser.fillSignIn(TestNodes.USER, "wrong-password");
        assertTrue(WebUiTest.waitFor(() -> browser.text().contains("Unknown user or wrong password")), browser.text());
        assertNull(browser.driver.manage().getCookieNamed(cookieName()), "no session for a wrong password");

        browser.fillSignIn(TestNodes.USER, TestNodes.PASSWORD);
        assertTrue(WebUiTest.waitFor(() -> browser.path().equals("/channels/anything")), "back to the page asked for: " + browser.driver.getCurrentUrl());
        browser.open(node.baseUrl() + "/");
        String desk = browser.text();
        assertTrue(desk.contains("Signed in as " + TestNodes.USER) && desk.contains(node.node().key().verifierKey().fingerprint()), desk);

        Cookie c = browser.driver.manage().getCookieNamed(cookieName());
        assertNotNull(c, "the session cookie");
        assertTrue(c.isHttpOnly(), "HttpOnly");
        assertEquals("Strict", c.getSameSite());
        assertEquals("/", c.getPath());
        assertFalse(c.isSecure(), "plain HTTP node: Secure would make the browser drop it");
        assertNull(c.getExpiry(), "a browser-session cookie");
        assertEquals(0L, (long) node.node().db().queryOne("SELECT COUNT(*) FROM web_sessions WHERE id_hash = ?", rs -> rs.getLong(1), c.getValue()).orElseThrow(),
                "only a hash of the id is stored");

        browser.find(By.cssSelector("form.signout button")).click();
        assertTrue(WebUiTest.waitFor(() -> browser.path().equals("/login") && browser.text().contains("You are signed out")), browser.text());
        browser.driver.navigate().back();
        assertTrue(WebUiTest.waitFor(() -> browser.path().equals("/login")), "the back button finds no page: " + browser.driver.getCurrentUrl());
        assertFalse(browser.text().contains(node.node().key().verifierKey().fingerprint() + " ") && browser.text().contains("Duty desk"),
                "nothing of the desk is shown again: " + browser.text());
        // the old cookie value, replayed by hand, is dead
        assertEquals(303, WebSessions.get(node, cookieName() + "=" + c.getValue(), "/").statusCode());
    }

    @Test
    void aPlantedCookieIsNeverAdoptedAndAnAttackersSessionEndsAtTheVictimsSignIn() throws Exception {
        String planted = cookieName() + "=" + "A".repeat(43);
        var res = WebSessions.postLogin(node, TestNodes.USER, TestNodes.PASSWORD, planted);
        assertEquals(303, res.statusCode(), res.body());
        String fresh = WebSessions.cookie(res);
        assertNotEquals(planted, fresh);
        assertEquals(303, WebSessions.get(node, planted, "/").statusCode(), "the planted value signs nobody in");
        assertEquals(200, WebSessions.get(node, fresh, "/").statusCode());

        // the attacker plants its own live session in the victim's browser: the victim's sign-in ends it and starts another
        node.node().users().put("mallory", Passwords.hash("mallory-password"), "viewer", clock.instant());
        String attackers = WebSessions.signIn(node, "mallory", "mallory-password");
        var victim = WebSessions.postLogin(node, TestNodes.USER, TestNodes.PASSWORD, attackers);
        String victims = WebSessions.cookie(victim);
        assertNotEquals(attackers, victims);
        assertEquals(303, WebSessions.get(node, attackers, "/").statusCode(), "the attacker's planted session ended");
        assertTrue(WebSessions.get(node, victims, "/").body().contains("Signed in as " + TestNodes.USER), "the victim is themselves");
    }

    @Test
    void idleAndAbsoluteTimeoutsOnTheNodesClock() throws Exception {
        String cookie = WebSessions.signIn(node);
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, WebSessions.get(node, cookie, "/").statusCode(), "29 minutes idle: still on");
        clock.advance(Duration.ofMinutes(30));
        var idle = WebSessions.get(node, cookie, "/");
        assertEquals(303, idle.statusCode(), "30 minutes idle: over");
        assertEquals("/login", idle.headers().firstValue("Location").orElse(""));

        // the desk's script fetching the dashboard again is no activity: an unattended desk times out too
        String unattended = WebSessions.signIn(node);
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofMinutes(14));
            var reload = WebSessions.get(node, unattended, "/?refresh=auto");
            assertEquals(200, reload.statusCode());
            assertTrue(reload.body().contains("<script src=\"/ui/desk.js\" defer></script>") && reload.body().contains("data-refresh-seconds=\"60\""),
                    "the desk's script refreshes it so: " + reload.body());
        }
        clock.advance(Duration.ofMinutes(2));
        assertEquals(303, WebSessions.get(node, unattended, "/?refresh=auto").statusCode(), "30 minutes without a person: over");

        String busy = WebSessions.signIn(node);
        for (int i = 0; i < 35; i++) { // 11 h 40 min of use, every 20 minutes
            clock.advance(Duration.ofMinutes(20));
            assertEquals(200, WebSessions.get(node, busy, "/").statusCode(), "in use after " + (i + 1) * 20 + " min");
        }
        clock.advance(Duration.ofMinutes(20)); // 12 h after sign-in
        assertEquals(303, WebSessions.get(node, busy, "/").statusCode(), "past the absolute timeout, however busy");
        assertEquals(0L, (long) node.node().db().queryOne("SELECT COUNT(*) FROM web_sessions WHERE username = ? AND created_at < ?",
                rs -> rs.getLong(1), TestNodes.USER, clock.instant().minus(Duration.ofHours(12)).toEpochMilli()).orElseThrow(), "dead sessions are deleted");
    }

    @Test
    void sessionsOfADisabledOrChangedAccountStopWorking() throws Exception {
        node.node().users().put("night", Passwords.hash("night-password"), "officer", clock.instant());
        node.node().users().setChannels("night", List.of("*"));
        String disabled = WebSessions.signIn(node, "night", "night-password");
        assertEquals(200, WebSessions.get(node, disabled, "/").statusCode());
        node.node().users().setDisabled("night", true);
        assertEquals(303, WebSessions.get(node, disabled, "/").statusCode(), "disabled: the session is over");
        node.node().users().setDisabled("night", false);
        assertEquals(303, WebSessions.get(node, disabled, "/").statusCode(), "and stays over when the account is enabled again");

        String passwordChanged = WebSessions.signIn(node, "night", "night-password");
        node.node().users().put("night", Passwords.hash("new-night-password"), "officer", clock.instant());
        assertEquals(303, WebSessions.get(node, passwordChanged, "/").statusCode(), "a new password ends the old sessions");

        String roleChanged = WebSessions.signIn(node, "night", "new-night-password");
        var hash = node.node().users().find("night").orElseThrow().passwordHash();
        node.node().users().put("night", hash, "viewer", clock.instant());
        assertEquals(303, WebSessions.get(node, roleChanged, "/").statusCode(), "a new role ends the old sessions");
    }

    @Test
    void theApiAndTaxiiNeverAcceptTheSessionCookie() throws Exception {
        String cookie = WebSessions.signIn(node);
        for (String path : List.of("/api/v1/cases", "/api/v1/node", "/taxii2/")) {
            var res = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Cookie", cookie)
                    .header("Accept", path.startsWith("/taxii2") ? "application/taxii+json;version=2.1" : "application/json").GET().build());
            assertEquals(401, res.statusCode(), path + " with only a session cookie: " + res.body());
        }
        var post = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/channels/x/ping")).header("Cookie", cookie)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(401, post.statusCode(), post.body());
    }

    @Test
    void theSignInFormSendsOnlyToLocalPathsAndRefusesForeignPosts() throws Exception {
        for (String evil : List.of("//evil.example/", "https://evil.example/", "/\\evil.example", "/\r\nSet-Cookie:x=y", "javascript:alert(1)")) {
            var page = WebSessions.get(node, null, "/login?next=" + WebSessions.enc(evil));
            assertFalse(page.body().contains("evil.example") || page.body().contains("Set-Cookie") || page.body().contains("javascript:"), evil + " is not kept: " + page.body());
            var res = WebSessions.form(node, "/login", null, "username=" + TestNodes.USER + "&password=" + TestNodes.PASSWORD + "&next=" + WebSessions.enc(evil));
            assertEquals(303, res.statusCode());
            assertEquals("/", res.headers().firstValue("Location").orElse(""), evil);
        }
        var local = WebSessions.form(node, "/login", null, "username=" + TestNodes.USER + "&password=" + TestNodes.PASSWORD + "&next=" + WebSessions.enc("/cases/x?channel=y"));
        assertEquals("/cases/x?channel=y", local.headers().firstValue("Location").orElse(""));

        // login CSRF: a foreign page posting the form is refused and gets no session
        for (String[] header : new String[][] {{"Origin", "http://evil.example"}, {"Sec-Fetch-Site", "cross-site"}, {"Origin", "null"}}) {
            var foreign = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login")).header(header[0], header[1])
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + TestNodes.USER + "&password=" + TestNodes.PASSWORD)).build());
            assertEquals(403, foreign.statusCode(), header[0] + ": " + header[1]);
            assertNull(WebSessions.cookie(foreign));
        }
        var own = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login")).header("Origin", node.baseUrl())
                .header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + TestNodes.USER + "&password=" + TestNodes.PASSWORD)).build());
        assertEquals(303, own.statusCode(), own.body());
        // the login page keeps the security headers of every page
        var form = WebSessions.get(node, null, "/login");
        assertEquals(200, form.statusCode());
        assertTrue(form.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals("DENY", form.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-store", form.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void signOutNeedsTheSessionsFormTokenAndIsAudited() throws Exception {
        String cookie = WebSessions.signIn(node);
        var forged = WebSessions.form(node, "/logout", cookie, "");
        assertEquals(403, forged.statusCode(), "no token: another site cannot sign the officer out");
        String other = WebSessions.signIn(node);
        var wrongSession = WebSessions.form(node, "/logout", cookie, "csrf=" + WebSessions.csrf(node, other, "/"));
        assertEquals(403, wrongSession.statusCode(), "the token of another session of the same user does not do");
        assertEquals(200, WebSessions.get(node, cookie, "/").statusCode());
        var out = WebSessions.form(node, "/logout", cookie, "csrf=" + WebSessions.csrf(node, cookie, "/"));
        assertEquals(303, out.statusCode());
        assertTrue(out.headers().allValues("Set-Cookie").stream().anyMatch(h -> h.contains("Max-Age=0")), "the browser forgets it");
        assertEquals(303, WebSessions.get(node, cookie, "/").statusCode(), "ended on the server, whatever the browser keeps");
        assertEquals(200, WebSessions.get(node, other, "/").statusCode(), "only that session");

        WebSessions.postLogin(node, TestNodes.USER, "a-wrong-password", null);
        var records = node.node().audit().after(0, 10_000);
        assertTrue(records.stream().anyMatch(r -> r.action().equals("sign-in") && r.ok() && r.from().equals("127.0.0.1")), "sign-ins are recorded with the address");
        assertTrue(records.stream().anyMatch(r -> r.action().equals("sign-in") && !r.ok()), "and refusals");
        assertTrue(records.stream().anyMatch(r -> r.action().equals("sign-out") && r.ok()));
        assertTrue(records.stream().noneMatch(r -> r.toString().contains(TestNodes.PASSWORD) || r.toString().contains("a-wrong-password")), "never a password");
    }

    @Test
    void underTlsTheCookieIsSecureAndHostBound() throws Exception {
        Path dir = tmp.resolve("tls-node");
        var cfg = io.parley.node.NodeInit.create(dir, new io.parley.node.NodeInit.Options("cert-tls.example", null, null, null, 1, null, List.of()), Instant.now());
        cfg = io.parley.node.NodeInit.addSelfSignedTls(dir, cfg, Instant.now()).withPort(0);
        try (NodeServer tls = NodeServer.start(dir, cfg, clock)) {
            tls.node().users().put("duty", Passwords.hash("tls-password-1"), "viewer", clock.instant());
            var ca = io.parley.tls.Pem.certificates(dir.resolve(io.parley.node.NodeInit.TLS_CERT_FILE));
            var https = java.net.http.HttpClient.newBuilder().sslContext(io.parley.tls.NodeTls.clientContext(ca)).build();
            HttpResponse<String> res = https.send(HttpRequest.newBuilder(URI.create(tls.baseUrl() + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=duty&password=tls-password-1")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, res.statusCode(), res.body());
            String set = res.headers().allValues("Set-Cookie").stream().filter(h -> h.contains("parley_session")).findFirst().orElseThrow();
            assertTrue(set.startsWith("__Host-parley_session-cert-tls.example="), set);
            for (String attribute : List.of("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure")) assertTrue(set.contains(attribute), attribute + " in " + set);
            assertFalse(set.contains("Domain="), "host-only");
            var desk = https.send(HttpRequest.newBuilder(URI.create(tls.baseUrl() + "/")).header("Cookie", set.substring(0, set.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, desk.statusCode());
        }
    }
}
