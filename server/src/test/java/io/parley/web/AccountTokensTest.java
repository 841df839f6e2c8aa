package io.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Passwords;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * API tokens made on the account page, behind the session (and its second factor): the only way for an account whose
 * password no longer opens the API (a second factor, or require_2fa_for_admin) to get one without a shell on the host.
 */
class AccountTokensTest {
    private static final Pattern SECRET = Pattern.compile("id=\"new-token\">(parley_[A-Za-z0-9_-]{43})<");
    private static final Pattern TOKEN_ID = Pattern.compile("/account/tokens/([0-9a-f]{12})/revoke");

    @TempDir static Path tmp;
    static NodeServer node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        var users = node.node().users();
        users.put("other", Passwords.hash("other-password-1"), "officer", node.node().now());
        users.setChannels("other", List.of("*"));
        users.put("watch", Passwords.hash("watch-password-1"), "viewer", node.node().now());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aTokenMadeOnTheAccountPageIsShownOnceWorksAndIsRevokedThere() throws Exception {
        String cookie = WebSessions.signIn(node);
        String csrf = WebSessions.csrf(node, cookie, "/account");
        var made = WebSessions.form(node, "/account/tokens", cookie,
                "csrf=" + WebSessions.enc(csrf) + "&label=" + WebSessions.enc("siem pull") + "&scope=read&channels=*&days=30");
        assertEquals(201, made.statusCode(), made.body());
        Matcher m = SECRET.matcher(made.body());
        assertTrue(m.find(), made.body());
        String secret = m.group(1);
        assertEquals(200, bearer(secret, "/api/v1/channels").statusCode());
        assertEquals(403, bearerPost(secret, "/api/v1/channels/none/ping").statusCode(), "a read token does not act");

        String page = WebSessions.get(node, cookie, "/account").body();
        assertFalse(page.contains(secret), "the secret is shown once");
        assertTrue(page.contains("siem pull"), page);
        Matcher id = TOKEN_ID.matcher(page);
        assertTrue(id.find(), page);
        assertTrue(node.node().audit().after(0, 1000).stream().anyMatch(r -> r.action().equals("token-created") && r.target().equals(id.group(1))
                && !r.detail().contains(secret)));

        var revoked = WebSessions.form(node, "/account/tokens/" + id.group(1) + "/revoke", cookie, "csrf=" + WebSessions.enc(csrf));
        assertEquals(303, revoked.statusCode(), revoked.body());
        assertEquals(401, bearer(secret, "/api/v1/channels").statusCode(), "revoked at once");
    }

    @Test
    void anotherOfficerCannotRevokeMyTokenAndAForgedFormMakesNone() throws Exception {
        String mine = WebSessions.signIn(node);
        String csrf = WebSessions.csrf(node, mine, "/account");
        var made = WebSessions.form(node, "/account/tokens", mine, "csrf=" + WebSessions.enc(csrf) + "&label=mine&scope=read&channels=*&days=1");
        Matcher m = SECRET.matcher(made.body());
        assertTrue(m.find(), made.body());
        Matcher id = TOKEN_ID.matcher(WebSessions.get(node, mine, "/account").body());
        assertTrue(id.find());

        String theirs = WebSessions.signIn(node, "other", "other-password-1");
        String theirCsrf = WebSessions.csrf(node, theirs, "/account");
        assertFalse(WebSessions.get(node, theirs, "/account").body().contains(id.group(1)), "another's tokens are not listed");
        assertEquals(404, WebSessions.form(node, "/account/tokens/" + id.group(1) + "/revoke", theirs, "csrf=" + WebSessions.enc(theirCsrf)).statusCode());
        assertEquals(200, bearer(m.group(1), "/api/v1/channels").statusCode(), "still working");

        int before = node.node().tokens().list("duty").size();
        assertEquals(403, WebSessions.form(node, "/account/tokens", mine, "label=forged&scope=write&channels=*&days=365").statusCode(), "no form token");
        assertEquals(before, node.node().tokens().list("duty").size());
        var anonymous = WebSessions.form(node, "/account/tokens", null, "label=anon&scope=write&channels=*&days=365");
        assertTrue(anonymous.statusCode() == 401 || anonymous.statusCode() == 303, "anonymous: " + anonymous.statusCode());
        assertEquals(before, node.node().tokens().list("duty").size());
    }

    @Test
    void aViewerGetsNoFormAndCannotPostOne() throws Exception {
        String cookie = WebSessions.signIn(node, "watch", "watch-password-1");
        String page = WebSessions.get(node, cookie, "/account").body();
        assertFalse(page.contains("action=\"/account/tokens\""), page);
        String csrf = WebSessions.csrf(node, cookie, "/account");
        assertEquals(403, WebSessions.form(node, "/account/tokens", cookie, "csrf=" + WebSessions.enc(csrf) + "&label=x&scope=read&channels=*&days=1").statusCode());
        assertTrue(node.node().tokens().list("watch").isEmpty());
    }

    @Test
    void badFieldsAreExplainedAndMakeNothing() throws Exception {
        String cookie = WebSessions.signIn(node);
        String csrf = WebSessions.csrf(node, cookie, "/account");
        int before = node.node().tokens().list("duty").size();
        for (String body : new String[] {"label=&scope=read&channels=*&days=1", "label=x&scope=admin&channels=*&days=1",
                "label=x&scope=read&channels=*&days=400", "label=x&scope=read&channels=*&days=lots", "label=x&scope=read&channels=no%20such%2Fchannel&days=1"}) {
            var res = WebSessions.form(node, "/account/tokens", cookie, "csrf=" + WebSessions.enc(csrf) + "&" + body);
            assertEquals(422, res.statusCode(), body + ": " + res.body());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), body);
        }
        assertEquals(before, node.node().tokens().list("duty").size());
    }

    private static HttpResponse<String> bearer(String secret, String path) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Authorization", "Bearer " + secret).GET().build());
    }

    private static HttpResponse<String> bearerPost(String secret, String path) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    }
}
