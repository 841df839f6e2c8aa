package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Tokens;
import io.parley.federation.PeerRequestAuth;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * The routes of issue 11 (sign-in, account, tokens, audit, the web downloads and account pages) against a caller with
 * no local account: anonymous, and a dishonest peer signing its requests with its pinned key (RFC 9421), which opens
 * the peer routes but must open none of these. Nothing is served, nothing changes, and no session is started.
 */
class AccessRoutesPeerTest {
    @TempDir static Path tmp;
    static HostileNetwork net;
    static String tokenId;
    static String secret;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        var issued = net.a.node().tokens().issue(TestNodes.USER, "duty's own", Tokens.Scope.WRITE, List.of("*"), Duration.ofDays(1));
        tokenId = issued.token().id();
        secret = issued.secret();
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** Method, path, content type and body of each state-changing or reading route the issue added. */
    static final String[][] ROUTES = {
            {"GET", "/api/v1/audit", null, ""},
            {"GET", "/api/v1/tokens", null, ""},
            {"POST", "/api/v1/tokens", "application/json", "{\"label\":\"peer's\",\"scope\":\"write\"}"},
            {"DELETE", "/api/v1/tokens/TOKEN", "application/json", ""},
            {"GET", "/account", null, ""},
            {"POST", "/account/totp", "application/x-www-form-urlencoded", ""},
            {"POST", "/account/totp/confirm", "application/x-www-form-urlencoded", "code=123456"},
            {"POST", "/account/totp/remove", "application/x-www-form-urlencoded", "code=123456"},
            {"POST", "/account/tokens", "application/x-www-form-urlencoded", "label=peer&scope=write&channels=*&days=365"},
            {"POST", "/account/tokens/TOKEN/revoke", "application/x-www-form-urlencoded", ""},
            {"POST", "/logout", "application/x-www-form-urlencoded", ""},
            {"POST", "/login", "application/x-www-form-urlencoded", "username=duty&password="},
            {"POST", "/login/code", "application/x-www-form-urlencoded", "code=123456"},
            {"GET", "/login/code", null, ""},
            {"GET", "/cases/case-x/evidence", null, ""},
            {"GET", "/cases/case-x/bundle", null, ""},
            {"GET", "/evidence/" + "cd".repeat(32) + "/stix", null, ""},
            {"GET", "/evidence/" + "cd".repeat(32) + "/misp", null, ""},
            {"GET", "/verify", null, ""},
            {"POST", "/verify", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"b.json\"\r\n\r\n{}\r\n--x--\r\n"},
            {"GET", "/channels/ch-x/report.csv", null, ""},
            {"GET", "/users", null, ""},
            {"POST", "/users", "application/x-www-form-urlencoded", "username=peer&password=long+enough+1&role=admin"},
            {"POST", "/users/duty/disable", "application/x-www-form-urlencoded", ""},
            {"GET", "/audit", null, ""},
            // the diplomatic protocol's routes: each signs an envelope or reads channel standing for a local account only
            {"POST", "/api/v1/cases/case-x/statement", "application/json", "{\"text\":\"We agree.\",\"lang\":\"en\"}"},
            {"POST", "/api/v1/cases/case-x/statement/" + "ab".repeat(32) + "/cosign", "application/json", "{}"},
            {"POST", "/api/v1/evidence/" + "cd".repeat(32) + "/retract", "application/json", "{}"},
            {"POST", "/api/v1/contacts/confirm", "application/json", "{}"},
            {"GET", "/api/v1/contacts", null, ""},
            {"GET", "/api/v1/reports/norms", null, ""},
            {"GET", "/api/v1/commitments", null, ""},
            {"GET", "/api/v1/taxonomy", null, ""},
            {"GET", "/api/v1/reason-codes", null, ""},
            {"POST", "/cases/case-x/statement", "application/x-www-form-urlencoded", "text=We+agree.&lang=en"},
            {"POST", "/cases/case-x/statement/" + "ab".repeat(32) + "/cosign", "application/x-www-form-urlencoded", ""},
            {"POST", "/cases/case-x/evidence/retract", "application/x-www-form-urlencoded", "sha256=" + "cd".repeat(32)},
            {"POST", "/account/contacts/confirm", "application/x-www-form-urlencoded", ""},
            // the desk's routes (issue 14): pages for a signed-in officer only, whatever a peer signs
            {"POST", "/account/language", "application/x-www-form-urlencoded", "lang=ar"},
            {"GET", "/admin", null, ""},
            {"POST", "/admin/tokens/TOKEN/revoke", "application/x-www-form-urlencoded", ""},
            {"GET", "/peers", null, ""},
            {"GET", "/peers/cert-b.example", null, ""},
            {"GET", "/reports", null, ""},
            {"GET", "/evidence/" + "cd".repeat(32) + "/iodef", null, ""},
            {"POST", "/cases/case-x/translations", "application/x-www-form-urlencoded", "of=" + "ab".repeat(32) + "&lang=ru&text=x"},
            {"POST", "/api/v1/cases/case-x/translations", "application/json", "{\"of\":\"" + "ab".repeat(32) + "\",\"lang\":\"ru\",\"text\":\"x\"}"},
    };

    @Test
    void neitherAnAnonymousCallerNorASigningPeerReadsOrChangesAnythingOnTheAccessRoutes() throws Exception {
        int tokens = net.a.node().tokens().list(null).size();
        var language = net.a.node().users().language(TestNodes.USER);
        long envelopes = net.a.node().envelopes().count();
        long users = net.a.node().users().accounts().size();
        for (String[] r : ROUTES) {
            for (boolean signed : new boolean[] {false, true}) {
                HttpResponse<String> res = send(r, signed);
                String what = (signed ? "peer-signed " : "anonymous ") + r[0] + " " + r[1] + " -> " + res.statusCode() + " " + res.body();
                assertTrue(res.statusCode() == 303 || (res.statusCode() >= 400 && res.statusCode() < 500), what);
                if (res.statusCode() == 303) {
                    assertTrue(res.headers().firstValue("Location").orElse("").startsWith("/login"), what);
                }
                assertNull(WebSessions.cookie(res), "no session is started: " + what);
                // a problem's "instance" echoes the path the caller sent; anything else naming duty's token would be a leak
                String served = res.body().replace(r[1].replace("TOKEN", tokenId), "");
                assertFalse(served.contains(tokenId) || served.contains("duty's own"), "nothing of duty's tokens: " + what);
            }
        }
        assertEquals(tokens, net.a.node().tokens().list(null).size(), "no token was made");
        assertEquals(users, net.a.node().users().accounts().size(), "no account was made");
        assertTrue(net.a.node().users().find(TestNodes.USER).isPresent(), "duty is not disabled");
        assertEquals(language, net.a.node().users().language(TestNodes.USER), "duty's desk language is as it was");
        assertEquals(envelopes, net.a.node().envelopes().count(), "nothing was signed (no translation, statement or confirmation)");
        assertEquals("active", net.a.node().tokens().find(tokenId).orElseThrow().state(net.a.node().now()), "duty's token is not revoked");
        assertEquals(200, TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/api/v1/channels"))
                .header("Authorization", "Bearer " + secret).GET().build()).statusCode(), "and still works");
    }

    private static HttpResponse<String> send(String[] r, boolean signed) throws Exception {
        URI target = URI.create(net.a.baseUrl() + r[1].replace("TOKEN", tokenId));
        byte[] body = r[3].getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).method(r[0],
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (r[2] != null) b.header("Content-Type", r[2]);
        if (signed) b = PeerRequestAuth.sign(b, r[0], target, body, HostileNetwork.keyOf(net.evil), java.time.Instant.now());
        return TestNodes.send(b.build());
    }
}
