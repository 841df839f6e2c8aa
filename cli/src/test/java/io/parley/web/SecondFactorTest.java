package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import io.parley.auth.Passwords;
import io.parley.auth.SecondFactor;
import io.parley.auth.SignInSettings;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * The TOTP second factor: enrolment on the account page in Chromium (QR code drawn inline, confirmed with a current
 * code, recovery codes shown once), the two-step sign-in, a replayed code refused, a recovery code working once, the
 * limits of the half-signed-in state, the secret sealed in the database, {@code require_2fa_for_admin} (web and API),
 * and {@code parley user totp}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecondFactorTest {
    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
    NodeServer node, strict;
    Browser browser;

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-t.example", null, clock);
        strict = TestNodes.start(tmp, "cert-strict.example", null, clock, 0,
                c -> c.withSignIn(new SignInSettings(Duration.ofMinutes(30), Duration.ofHours(12), true)));
        browser = Browser.start(tmp.resolve("chrome"));
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {node, strict}) if (n != null) n.close();
    }

    void account(NodeServer n, String user, String role) {
        n.node().users().put(user, Passwords.hash(user + "-password"), role, clock.instant());
        if (role.equals("officer")) n.node().users().setChannels(user, List.of("*"));
    }

    String code(String secret) {
        return SecondFactor.codeAt(secret.replace(" ", ""), clock.instant());
    }

    /** Password, then code: the session cookie of the finished sign-in, or the failing response's status. */
    HttpResponse<String> twoSteps(NodeServer n, String user, String code) throws Exception {
        var first = WebSessions.postLogin(n, user, user + "-password", null);
        assertEquals(303, first.statusCode(), first.body());
        assertEquals("/login/code", first.headers().firstValue("Location").orElse(""));
        return WebSessions.form(n, "/login/code", WebSessions.cookie(first), "code=" + WebSessions.enc(code));
    }

    @Test
    void enrolInTheBrowserThenSignInWithACodeAndNeverTheSameCodeTwice() throws Exception {
        account(node, "erin", "officer");
        browser.signIn(node.baseUrl(), "erin", "erin-password");
        browser.open(node.baseUrl() + "/account");
        browser.find(By.cssSelector("form[action='/account/totp'] button")).click();
        assertTrue(WebUiTest.waitFor(() -> !browser.driver.findElements(By.cssSelector(".qr-box svg")).isEmpty()), browser.text());
        String secret = browser.find(By.id("totp-secret")).getText();
        assertTrue(secret.replace(" ", "").matches("[A-Z2-7]{32}"), secret);
        assertFalse(node.node().secondFactor().enrolled("erin"), "not in force before a code confirms it");
        Path shot = Path.of("target", "screenshots", "enrol.png");
        Files.createDirectories(shot.getParent());
        browser.screenshot(shot);
        assertTrue(Files.size(shot) > 5_000);
        assertTrue(browser.driver.findElements(By.cssSelector("img")).isEmpty(), "no image request: the QR code is inline SVG");

        // the sealed secret in the database does not give it away
        String stored = node.node().db().queryOne("SELECT secret FROM user_totp WHERE username = 'erin'", rs -> rs.getString(1)).orElseThrow();
        assertTrue(stored.startsWith("v1:") && !stored.contains(secret.replace(" ", "")), stored);
        byte[] raw = org.bouncycastle.util.encoders.Base32.decode(secret.replace(" ", ""));
        assertFalse(new String(Base64.getDecoder().decode(stored.substring(3)), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)), "sealed, not encoded");

        browser.find(By.id("code")).sendKeys("000000".equals(code(secret)) ? "111111" : "000000");
        browser.find(By.cssSelector("form[action='/account/totp/confirm'] button")).click();
        assertTrue(WebUiTest.waitFor(() -> browser.text().contains("does not match")), browser.text());
        assertFalse(node.node().secondFactor().enrolled("erin"));
        browser.find(By.id("code")).sendKeys(code(secret));
        browser.find(By.cssSelector("form[action='/account/totp/confirm'] button")).click();
        assertTrue(WebUiTest.waitFor(() -> browser.text().contains("Your recovery codes")), browser.text());
        List<String> recovery = browser.driver.findElements(By.cssSelector("ol.codes code")).stream().map(e -> e.getText()).toList();
        assertEquals(10, recovery.size());
        assertTrue(node.node().secondFactor().enrolled("erin"));
        assertEquals(0L, (long) node.node().db().queryOne("SELECT COUNT(*) FROM user_recovery_codes WHERE code_hash = ?", rs -> rs.getLong(1),
                recovery.get(0).replace("-", "")).orElseThrow(), "recovery codes are stored hashed");

        // sign-in is now two steps; the half-signed-in session opens nothing
        clock.advance(Duration.ofSeconds(30));
        var first = WebSessions.postLogin(node, "erin", "erin-password", null);
        String half = WebSessions.cookie(first);
        assertEquals("/login/code", first.headers().firstValue("Location").orElse(""));
        assertEquals(303, WebSessions.get(node, half, "/").statusCode(), "a password alone reaches no page");
        assertEquals("/login", WebSessions.get(node, half, "/").headers().firstValue("Location").orElse(""));
        assertEquals(200, WebSessions.get(node, half, "/login/code").statusCode());
        String current = code(secret);
        var second = WebSessions.form(node, "/login/code", half, "code=" + current);
        assertEquals(303, second.statusCode(), second.body());
        String full = WebSessions.cookie(second);
        assertNotEquals(half, full, "a new id once the code is accepted");
        assertEquals(200, WebSessions.get(node, full, "/").statusCode());

        // the same code again, in a new sign-in within its 30 seconds: refused
        assertEquals(401, twoSteps(node, "erin", current).statusCode(), "a used code is refused (replay)");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(303, twoSteps(node, "erin", code(secret)).statusCode(), "the next step's code works");
        // a code one step old or one step ahead is accepted once (drift), two steps away never
        clock.advance(Duration.ofSeconds(60));
        String stale = SecondFactor.codeAt(secret.replace(" ", ""), clock.instant().minusSeconds(60));
        if (!stale.equals(code(secret))) assertEquals(401, twoSteps(node, "erin", stale).statusCode(), "two steps old");

        // a recovery code works once
        var withRecovery = twoSteps(node, "erin", recovery.get(3).toUpperCase());
        assertEquals(303, withRecovery.statusCode(), withRecovery.body());
        assertEquals(401, twoSteps(node, "erin", recovery.get(3)).statusCode(), "used up");
        assertEquals(9L, node.node().secondFactor().unusedRecoveryCodes("erin"));
        var audit = node.node().audit().after(0, 10_000);
        assertTrue(audit.stream().anyMatch(r -> r.action().equals("second-factor") && r.detail().contains("recovery code used")));
        assertTrue(audit.stream().anyMatch(r -> r.action().equals("second-factor") && r.detail().contains("enrolled")));
        assertTrue(audit.stream().noneMatch(r -> r.toString().contains(current) || r.toString().contains(recovery.get(3))), "never a code");
    }

    @Test
    void theHalfSignedInStateIsShortAndAllowsFewCodes() throws Exception {
        account(node, "frank", "officer");
        var enrolled = node.node().secondFactor().enrolNow("frank");
        var first = WebSessions.postLogin(node, "frank", "frank-password", null);
        String half = WebSessions.cookie(first);
        for (int i = 0; i < 5; i++) assertEquals(401, WebSessions.form(node, "/login/code", half, "code=99999" + i).statusCode());
        var sixth = WebSessions.form(node, "/login/code", half, "code=" + code(enrolled.enrolment().secretBase32()));
        assertEquals(401, sixth.statusCode(), "after five wrong codes even the right one is refused");
        assertTrue(sixth.body().contains("password again"), sixth.body());

        clock.advance(Duration.ofSeconds(30));
        String slow = WebSessions.cookie(WebSessions.postLogin(node, "frank", "frank-password", null));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(401, WebSessions.form(node, "/login/code", slow, "code=" + code(enrolled.enrolment().secretBase32())).statusCode(),
                "five minutes after the password, the half-signed-in session is over");
    }

    @Test
    void wrongCodesAcrossManySignInsCloseTheCodeStepWith429AndRetryAfter() throws Exception {
        account(node, "ivan", "officer");
        String secret = node.node().secondFactor().enrolNow("ivan").enrolment().secretBase32();
        clock.advance(Duration.ofSeconds(30));
        String wrong = code(secret).equals("123456") ? "654321" : "123456";
        // a guesser who has the password starts a new sign-in for every two guesses: the count is the account's
        for (int i = 0; i < SecondFactor.FREE_FAILURES; i++) {
            assertEquals(401, twoSteps(node, "ivan", wrong).statusCode(), "guess " + (i + 1));
        }
        var closed = twoSteps(node, "ivan", code(secret));
        assertEquals(429, closed.statusCode(), "closed: even the right code is not checked");
        long retry = Long.parseLong(closed.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 30 && retry <= 31, "Retry-After " + retry);
        assertTrue(closed.body().contains("Too many wrong codes") && closed.body().contains("Wait " + retry + "s"), "says how long: " + closed.body());
        clock.advance(Duration.ofSeconds(31));
        assertEquals(401, twoSteps(node, "ivan", wrong).statusCode());
        var longer = twoSteps(node, "ivan", code(secret));
        assertEquals(429, longer.statusCode());
        assertTrue(Long.parseLong(longer.headers().firstValue("Retry-After").orElseThrow()) >= 60, "each further wrong code doubles the wait");
        clock.advance(Duration.ofSeconds(61));
        assertEquals(303, twoSteps(node, "ivan", code(secret)).statusCode(), "open again, and the right code signs in");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(401, twoSteps(node, "ivan", wrong).statusCode(), "after a right code the count starts again");
        assertEquals(303, twoSteps(node, "ivan", code(secret)).statusCode());
    }

    @Test
    void removingTheFactorNeedsACurrentCode() throws Exception {
        account(node, "gina", "viewer");
        var e = node.node().secondFactor().enrolNow("gina");
        var signedIn = twoSteps(node, "gina", code(e.enrolment().secretBase32()));
        String cookie = WebSessions.cookie(signedIn);
        String token = WebSessions.csrf(node, cookie, "/account");
        assertEquals(422, WebSessions.form(node, "/account/totp/remove", cookie, "csrf=" + token + "&code=000000").statusCode());
        assertTrue(node.node().secondFactor().enrolled("gina"), "a session alone does not remove the factor");
        clock.advance(Duration.ofSeconds(30));
        var removed = WebSessions.form(node, "/account/totp/remove", cookie, "csrf=" + token + "&code=" + code(e.enrolment().secretBase32()));
        assertEquals(303, removed.statusCode(), removed.body());
        assertFalse(node.node().secondFactor().enrolled("gina"));
        assertEquals(303, WebSessions.postLogin(node, "gina", "gina-password", null).statusCode());
        assertEquals("/", WebSessions.postLogin(node, "gina", "gina-password", null).headers().firstValue("Location").orElse(""), "one step again");
    }

    @Test
    void requireTwoFactorForAdminSendsAnAdminToEnrolAndRefusesItsBasicOnTheApi() throws Exception {
        account(strict, "root", "admin");
        account(strict, "desk", "officer");
        String cookie = WebSessions.signIn(strict, "root", "root-password");
        for (String path : List.of("/", "/users", "/channels/x")) {
            var res = WebSessions.get(strict, cookie, path);
            assertEquals(303, res.statusCode(), path);
            assertEquals("/account?enrol=required", res.headers().firstValue("Location").orElse(""), path);
        }
        var account = WebSessions.get(strict, cookie, "/account?enrol=required");
        assertEquals(200, account.statusCode());
        assertTrue(account.body().contains("requires a second factor"), account.body());
        String token = WebSessions.csrf(strict, cookie, "/account");
        var post = WebSessions.form(strict, "/users", cookie, "csrf=" + token + "&username=x&password=xxxxxxxxxx&role=admin");
        assertEquals(403, post.statusCode(), "no action before enrolment");
        assertTrue(strict.node().users().find("x").isEmpty());
        // an officer is not concerned
        assertEquals(200, WebSessions.get(strict, WebSessions.signIn(strict, "desk", "desk-password"), "/").statusCode());

        // enrol, then the desk opens and sign-in is two steps
        assertEquals(303, WebSessions.form(strict, "/account/totp", cookie, "csrf=" + token).statusCode());
        String secret = strict.node().secondFactor().pending("root").orElseThrow().secretBase32();
        assertEquals(200, WebSessions.form(strict, "/account/totp/confirm", cookie, "csrf=" + token + "&code=" + code(secret)).statusCode());
        assertEquals(200, WebSessions.get(strict, cookie, "/").statusCode());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(303, twoSteps(strict, "root", code(secret)).statusCode());
        clock.advance(Duration.ofSeconds(30));
        String full = WebSessions.cookie(twoSteps(strict, "root", code(secret)));
        var remove = WebSessions.form(strict, "/account/totp/remove", full, "csrf=" + WebSessions.csrf(strict, full, "/account") + "&code=123456");
        assertEquals(403, remove.statusCode(), "a required factor cannot be removed");

        // HTTP Basic cannot carry a code: refused for admins on the API and TAXII, with the reason
        var api = TestNodes.send(HttpRequest.newBuilder(URI.create(strict.baseUrl() + "/api/v1/node")).header("Authorization", basic("root")).GET().build());
        assertEquals(401, api.statusCode());
        assertTrue(api.body().contains("require_2fa_for_admin") && api.body().contains("token"), api.body());
        var taxii = TestNodes.send(HttpRequest.newBuilder(URI.create(strict.baseUrl() + "/taxii2/")).header("Authorization", basic("root"))
                .header("Accept", "application/taxii+json;version=2.1").GET().build());
        assertEquals(401, taxii.statusCode(), taxii.body());
        var officer = TestNodes.send(HttpRequest.newBuilder(URI.create(strict.baseUrl() + "/api/v1/node")).header("Authorization", basic("desk")).GET().build());
        assertEquals(200, officer.statusCode(), "Basic stays for non-admins");
        var lax = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node")).header("Authorization", TestNodes.basicAuth()).GET().build());
        assertEquals(200, lax.statusCode());
    }

    @Test
    void cliEnrolsResetsAndRemovesAFactor() throws Exception {
        account(node, "hugo", "officer");
        Path dir = node.node().dir();
        var out = cli("user", "totp", "hugo", "--dir", dir.toString());
        assertEquals(0, out.code, out.err);
        Matcher uri = Pattern.compile("otpauth: (otpauth://totp/\\S+)").matcher(out.out);
        Matcher secret = Pattern.compile("secret: ([A-Z2-7]{32})").matcher(out.out);
        assertTrue(uri.find() && secret.find(), out.out);
        assertTrue(uri.group(1).contains("secret=" + secret.group(1)) && uri.group(1).contains("issuer=Parley%20cert-t.example"), uri.group(1));
        List<String> codes = new ArrayList<>();
        Matcher rc = Pattern.compile("(?m)^  ([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})$").matcher(out.out);
        while (rc.find()) codes.add(rc.group(1));
        assertEquals(10, codes.size(), out.out);
        clock.advance(Duration.ofSeconds(30));
        String cookie = WebSessions.cookie(twoSteps(node, "hugo", code(secret.group(1))));
        assertEquals(200, WebSessions.get(node, cookie, "/").statusCode());

        var again = cli("user", "totp", "hugo", "--dir", dir.toString());
        assertNotEquals(0, again.code, "an existing factor is not replaced silently");
        assertTrue(again.err.contains("--reset"), again.err);
        var reset = cli("user", "totp", "hugo", "--reset", "--dir", dir.toString());
        assertEquals(0, reset.code, reset.err);
        assertEquals(303, WebSessions.get(node, cookie, "/").statusCode(), "a reset ends the account's sessions");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(401, twoSteps(node, "hugo", code(secret.group(1))).statusCode(), "the old secret is dead");
        var removed = cli("user", "totp", "hugo", "--remove", "--dir", dir.toString());
        assertEquals(0, removed.code, removed.err);
        assertEquals("/", WebSessions.postLogin(node, "hugo", "hugo-password", null).headers().firstValue("Location").orElse(""));
        var nobody = cli("user", "totp", "nobody", "--dir", dir.toString());
        assertNotEquals(0, nobody.code);
        assertEquals(1, nobody.err.strip().lines().count(), "one line: " + nobody.err);
    }

    record Cli(int code, String out, String err) {}

    static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = io.parley.cli.ParleyCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
