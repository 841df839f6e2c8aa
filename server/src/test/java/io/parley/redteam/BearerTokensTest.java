package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditRecord;
import io.parley.auth.Passwords;
import io.parley.auth.Tokens;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.taxii.CollectionIds;
import io.parley.testing.Fixtures;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/**
 * Bearer tokens on a real node (issue 11): a token holds at most its owner's rights at the moment of each request,
 * cut down to its scope and channels; it expires, is revoked at once, dies with its owner's account, and its secret
 * exists only in the answer that created it. Every refusal is checked to have done nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerTokensTest {
    @TempDir static Path tmp;
    static final String CH = "tok-ch", OTHER = "tok-other";
    static final String PASSWORD = "token-password-1";
    static final String TAXII = "application/taxii+json;version=2.1";
    MutableClock clock;
    NodeServer node;

    @BeforeAll
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        node = TestNodes.start(tmp, "cert-a.example", null, clock);
        SigningKey peer = SigningKey.generate("peer-b");
        TestNodes.activate(node, Fixtures.charter(CH, Tlp.AMBER, node.node().key(), peer), peer);
        TestNodes.activate(node, Fixtures.charter(OTHER, Tlp.AMBER, node.node().key(), peer), peer);
        assertTrue(TestNodes.eventually(10, () -> node.node().charters().active(CH) && node.node().charters().active(OTHER)));
        String hash = Passwords.hash(PASSWORD);
        node.node().users().put("chief", hash, "admin", clock.instant());
        node.node().users().put("watcher", hash, "viewer", clock.instant());
        node.node().users().put("clerk", hash, "officer", clock.instant());
        node.node().users().setChannels("clerk", List.of(CH));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    // --- issuing ------------------------------------------------------------------------------------------------------

    @Test
    void theSecretIsShownOnceAndTheNodeKeepsOnlyItsHash() throws Exception {
        var created = basic("POST", "/api/v1/tokens", TestNodes.USER, "{\"label\":\"opencti\",\"scope\":\"read\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = Json.parse(created.body());
        String secret = body.path("token").asText();
        String id = body.path("id").asText();
        assertTrue(secret.matches("parley_[A-Za-z0-9_-]{43}"), "recognisable prefix, 32 random bytes: " + secret);
        assertEquals("read", body.path("scope").asText());
        assertEquals(List.of("*"), strings(body.path("channels")));
        assertEquals(Duration.ofDays(90), Duration.between(Instant.parse(body.path("created_at").asText()), Instant.parse(body.path("expires_at").asText())));

        var list = basic("GET", "/api/v1/tokens", TestNodes.USER, null);
        assertEquals(200, list.statusCode(), list.body());
        assertFalse(list.body().contains(secret) || list.body().contains(Tokens.hash(secret)), "the list never shows the secret or its hash");
        assertTrue(list.body().contains(id));
        for (JsonNode t : Json.parse(list.body())) assertFalse(t.has("token"), t.toString());

        // every column of every row: the hash, and nowhere the secret
        List<String> cells = node.node().db().query("SELECT * FROM api_tokens", rs -> {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.add(String.valueOf(rs.getString(i)));
            return String.join("|", row);
        });
        assertTrue(cells.stream().noneMatch(r -> r.contains(secret.substring(7))), "no part of the secret is stored");
        assertEquals(List.of(Tokens.hash(secret)), node.node().db().query("SELECT secret_sha256 FROM api_tokens WHERE id = ?", rs -> rs.getString(1), id));

        List<AuditRecord> audit = node.node().audit().after(0, 10_000);
        assertTrue(audit.stream().anyMatch(r -> r.action().equals(AuditAction.TOKEN_CREATED.code()) && r.target().equals(id)
                && r.actor().equals(TestNodes.USER)), "the creation is on the audit trail");
        assertTrue(audit.stream().noneMatch(r -> r.toString().contains(secret.substring(7))), "and the secret is not");
        assertEquals(200, bearer("GET", "/api/v1/cases", secret, null).statusCode());
    }

    @Test
    void badTokenRequestsAre400AndIssueNothing() throws Exception {
        long before = tokenCount();
        for (String body : List.of("{}", "{\"label\":\"x\",\"scope\":\"admin\"}", "{\"label\":\"x\",\"expires_in_days\":366}",
                "{\"label\":\"x\",\"expires_in_days\":0}", "{\"label\":\"x\",\"channels\":[]}", "{\"label\":\"x\",\"channels\":[\"*\",\"a\"]}",
                "{\"label\":\"x\",\"channels\":[\"no spaces\"]}", "{\"label\":\"x\",\"expires\":\"2099-01-01T00:00:00Z\"}",
                "{\"label\":\"x\",\"expires_in_days\":1.5}", "[]")) {
            var res = basic("POST", "/api/v1/tokens", TestNodes.USER, body);
            assertEquals(400, res.statusCode(), body + ": " + res.body());
            assertProblem(res);
        }
        assertEquals(before, tokenCount());
    }

    // --- what a token may do ------------------------------------------------------------------------------------------

    @Test
    void aReadTokenIsRefusedOnEveryWriteRoute() throws Exception {
        String read = create(TestNodes.USER, "{\"label\":\"reader\",\"scope\":\"read\"}");
        long cases = count("cases");
        var res = bearer("POST", "/api/v1/channels/" + CH + "/cases", read, caseBody("by a read token"));
        assertEquals(403, res.statusCode(), res.body());
        assertProblem(res);
        assertTrue(res.body().contains("read token"), res.body());
        assertEquals(403, bearer("POST", "/api/v1/evidence", read, "{}").statusCode());
        assertEquals(cases, count("cases"), "nothing was opened");
        assertTrue(node.node().audit().after(0, 10_000).stream().anyMatch(r -> r.action().equals(AuditAction.ACCESS_DENIED.code())
                && r.actor().equals(TestNodes.USER) && r.detail().contains("read token")), "a token probing beyond its scope leaves a trace");
        assertEquals(200, bearer("GET", "/api/v1/cases", read, null).statusCode(), "but it reads");
    }

    @Test
    void aChannelTokenActsOnItsChannelOnlyAndReadsNothingAcrossChannels() throws Exception {
        String scoped = create(TestNodes.USER, "{\"label\":\"bot\",\"scope\":\"write\",\"channels\":[\"" + CH + "\"]}");
        var opened = bearer("POST", "/api/v1/channels/" + CH + "/cases", scoped, caseBody("by a channel token"));
        assertEquals(201, opened.statusCode(), opened.body());
        long cases = count("cases");
        var elsewhere = bearer("POST", "/api/v1/channels/" + OTHER + "/cases", scoped, caseBody("elsewhere"));
        assertEquals(403, elsewhere.statusCode(), elsewhere.body());
        assertTrue(elsewhere.body().contains("limited to channels " + CH), elsewhere.body());
        assertEquals(cases, count("cases"));
        assertEquals(200, bearer("GET", "/api/v1/channels/" + CH, scoped, null).statusCode());
        assertEquals(403, bearer("GET", "/api/v1/channels/" + OTHER, scoped, null).statusCode());
        assertEquals(403, bearer("GET", "/api/v1/cases", scoped, null).statusCode(), "a list across channels is not one channel");
        var ownList = bearer("GET", "/api/v1/cases?channel=" + CH, scoped, null);
        assertEquals(200, ownList.statusCode(), "the list of its own channel's cases: " + ownList.body());
        assertTrue(ownList.body().contains("by a channel token"), ownList.body());
        assertEquals(403, bearer("GET", "/api/v1/cases?channel=" + OTHER, scoped, null).statusCode());
        assertEquals(200, bearer("GET", "/api/v1/reports/responsiveness?channel=" + CH, scoped, null).statusCode());
        assertEquals(403, bearer("GET", "/api/v1/reports/responsiveness?channel=" + OTHER, scoped, null).statusCode());
        assertEquals(403, bearer("POST", "/api/v1/evidence", scoped, "{}").statusCode(), "node-wide acts need a '*' token");
        assertEquals(403, bearer("POST", "/api/v1/peers", scoped, "{}").statusCode());
    }

    @Test
    void aTokenLosesWhatItsOwnerLosesAtTheNextRequest() throws Exception {
        node.node().users().put("desk", Passwords.hash(PASSWORD), "officer", clock.instant());
        node.node().users().setChannels("desk", List.of(CH));
        String token = create("desk", "{\"label\":\"desk bot\",\"scope\":\"write\"}");
        assertEquals(403, bearer("POST", "/api/v1/channels/" + OTHER + "/ping", token, "{}").statusCode(),
                "a '*' token of an officer granted one channel acts on that channel only");
        assertEquals(201, bearer("POST", "/api/v1/channels/" + CH + "/cases", token, caseBody("while granted")).statusCode());
        node.node().users().setChannels("desk", List.of());
        var lost = bearer("POST", "/api/v1/channels/" + CH + "/cases", token, caseBody("after the grant went"));
        assertEquals(403, lost.statusCode(), lost.body());
        node.node().users().setChannels("desk", List.of(CH));
        node.node().users().put("desk", Passwords.hash(PASSWORD), "viewer", clock.instant());
        assertEquals(403, bearer("POST", "/api/v1/channels/" + CH + "/cases", token, caseBody("as a viewer")).statusCode());
    }

    @Test
    void noTokenIssuesTokensManagesAccountsOrGrantsRed() throws Exception {
        String admin = create("chief", "{\"label\":\"chief automation\",\"scope\":\"write\"}");
        long before = tokenCount();
        for (String[] call : new String[][] {{"POST", "/api/v1/tokens", "{\"label\":\"longer life\",\"expires_in_days\":365}"},
                {"GET", "/api/v1/tokens", null}, {"PUT", "/api/v1/red-grants/" + TestNodes.USER, "{\"scopes\":[\"*\"]}"},
                {"GET", "/api/v1/red-grants", null}}) {
            var res = bearer(call[0], call[1], admin, call[2]);
            assertEquals(403, res.statusCode(), call[1] + ": " + res.body());
            assertTrue(res.body().contains("signed in with its password"), res.body());
        }
        assertEquals(before, tokenCount());
        assertEquals(java.util.Set.of(), node.node().users().redScopes(TestNodes.USER));
        String id = Json.parse(basic("GET", "/api/v1/tokens", "chief", null).body()).get(0).path("id").asText();
        assertEquals(403, bearer("DELETE", "/api/v1/tokens/" + id, admin, null).statusCode());
        assertEquals(200, bearer("GET", "/api/v1/peers", admin, null).statusCode(), "reading works");
    }

    // --- end of life --------------------------------------------------------------------------------------------------

    @Test
    void anExpiredTokenIs401OnTheApiAndTaxii() throws Exception {
        String token = create(TestNodes.USER, "{\"label\":\"short\",\"expires_in_days\":1}");
        assertEquals(200, bearer("GET", "/api/v1/cases", token, null).statusCode());
        assertEquals(200, taxii(token, "/taxii2/api/collections/").statusCode());
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        var res = bearer("GET", "/api/v1/cases", token, null);
        assertEquals(401, res.statusCode(), res.body());
        assertProblem(res);
        assertTrue(res.body().contains("expired"), res.body());
        assertTrue(res.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        var t = taxii(token, "/taxii2/api/collections/");
        assertEquals(401, t.statusCode(), t.body());
        assertTrue(t.headers().firstValue("Content-Type").orElse("").startsWith("application/taxii+json"));
        var listed = Json.parse(basic("GET", "/api/v1/tokens", TestNodes.USER, null).body());
        boolean expired = false;
        for (JsonNode k : listed) if (k.path("label").asText().equals("short")) expired = k.path("state").asText().equals("expired");
        assertTrue(expired, listed.toString());
    }

    @Test
    void aRevokedTokenIs401AtTheNextRequest() throws Exception {
        var created = Json.parse(basic("POST", "/api/v1/tokens", TestNodes.USER, "{\"label\":\"leaked\"}").body());
        String token = created.path("token").asText(), id = created.path("id").asText();
        assertEquals(200, bearer("GET", "/api/v1/cases", token, null).statusCode());
        var revoked = basic("DELETE", "/api/v1/tokens/" + id, TestNodes.USER, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("revoked", Json.parse(revoked.body()).path("state").asText());
        assertEquals(401, bearer("GET", "/api/v1/cases", token, null).statusCode());
        assertEquals(401, taxii(token, "/taxii2/").statusCode());
        assertEquals(200, basic("DELETE", "/api/v1/tokens/" + id, TestNodes.USER, null).statusCode(), "revoking twice changes nothing");
        assertEquals(1, node.node().audit().after(0, 10_000).stream()
                .filter(r -> r.action().equals(AuditAction.TOKEN_REVOKED.code()) && r.target().equals(id) && r.ok()).count());
    }

    @Test
    void theTokenOfADisabledAccountIs401() throws Exception {
        node.node().users().put("leaver", Passwords.hash(PASSWORD), "officer", clock.instant());
        node.node().users().setChannels("leaver", List.of("*"));
        String token = create("leaver", "{\"label\":\"leaver's script\"}");
        assertEquals(200, bearer("GET", "/api/v1/cases", token, null).statusCode());
        node.node().users().setDisabled("leaver", true);
        var res = bearer("GET", "/api/v1/cases", token, null);
        assertEquals(401, res.statusCode(), res.body());
        assertProblem(res);
        assertEquals(401, taxii(token, "/taxii2/api/collections/").statusCode());
    }

    // --- TAXII --------------------------------------------------------------------------------------------------------

    @Test
    void taxiiAppliesTheSameScopeAndChannels() throws Exception {
        String own = CollectionIds.own(node.node().origin()), ch = CollectionIds.ofChannel(CH), other = CollectionIds.ofChannel(OTHER);
        String scoped = create(TestNodes.USER, "{\"label\":\"opencti " + CH + "\",\"channels\":[\"" + CH + "\"]}");
        var list = taxii(scoped, "/taxii2/api/collections/");
        assertEquals(200, list.statusCode(), list.body());
        List<String> ids = new ArrayList<>();
        Json.parse(list.body()).path("collections").forEach(c -> ids.add(c.path("id").asText()));
        assertEquals(List.of(ch), ids, "a token for one channel sees that channel's collection only");
        assertEquals(200, taxii(scoped, "/taxii2/api/collections/" + ch + "/objects/").statusCode());
        assertEquals(403, taxii(scoped, "/taxii2/api/collections/" + other + "/objects/").statusCode());
        assertEquals(403, taxii(scoped, "/taxii2/api/collections/" + own + "/objects/").statusCode());

        String read = create(TestNodes.USER, "{\"label\":\"taxii reader\"}");
        long objects = count("stix_objects");
        var add = taxiiPost(read, "/taxii2/api/collections/" + own + "/objects/");
        assertEquals(403, add.statusCode(), "a read token adds nothing: " + add.body());
        String scopedWrite = create(TestNodes.USER, "{\"label\":\"taxii writer " + CH + "\",\"scope\":\"write\",\"channels\":[\"" + CH + "\"]}");
        assertEquals(403, taxiiPost(scopedWrite, "/taxii2/api/collections/" + own + "/objects/").statusCode(),
                "the own-sharing collection belongs to no channel");
        assertEquals(objects, count("stix_objects"));
        String write = create(TestNodes.USER, "{\"label\":\"taxii writer\",\"scope\":\"write\"}");
        int status = taxiiPost(write, "/taxii2/api/collections/" + own + "/objects/").statusCode();
        assertTrue(status != 401 && status != 403, "a write token for every channel may add: " + status);
    }

    // --- hostile callers ----------------------------------------------------------------------------------------------

    @Test
    void anonymousCallersAndOtherOfficersCannotListOrRevokeSomeoneElsesToken() throws Exception {
        var created = Json.parse(basic("POST", "/api/v1/tokens", TestNodes.USER, "{\"label\":\"duty's own\"}").body());
        String token = created.path("token").asText(), id = created.path("id").asText();
        for (String[] call : new String[][] {{"GET", "/api/v1/tokens"}, {"DELETE", "/api/v1/tokens/" + id}, {"POST", "/api/v1/tokens"}}) {
            var res = TestNodes.send(HttpRequest.newBuilder(uri(call[1])).header("Content-Type", "application/json")
                    .method(call[0], HttpRequest.BodyPublishers.ofString(call[0].equals("POST") ? "{\"label\":\"x\"}" : "")).build());
            assertEquals(401, res.statusCode(), call[1] + ": " + res.body());
            assertProblem(res);
        }
        var clerkList = basic("GET", "/api/v1/tokens", "clerk", null);
        assertEquals(200, clerkList.statusCode());
        assertFalse(clerkList.body().contains(id), "an officer sees only its own tokens");
        var steal = basic("DELETE", "/api/v1/tokens/" + id, "clerk", null);
        assertEquals(404, steal.statusCode(), steal.body());
        assertEquals(200, bearer("GET", "/api/v1/cases", token, null).statusCode(), "the token still works");
        assertTrue(node.node().audit().after(0, 10_000).stream().anyMatch(r -> r.action().equals(AuditAction.TOKEN_REVOKED.code())
                && r.target().equals(id) && !r.ok() && r.actor().equals("clerk")), "the attempt is on the record");
        assertEquals(403, basic("GET", "/api/v1/tokens", "watcher", null).statusCode(), "a viewer has no tokens to manage");

        var all = basic("GET", "/api/v1/tokens", "chief", null);
        assertTrue(all.body().contains(id), "an admin sees every token");
        assertFalse(all.body().contains(token));
        assertEquals(200, basic("DELETE", "/api/v1/tokens/" + id, "chief", null).statusCode(), "and revokes any");
        assertEquals(401, bearer("GET", "/api/v1/cases", token, null).statusCode());
    }

    @Test
    void malformedAuthorizationHeadersAre401ProblemsNever500() throws Exception {
        String unknown = "parley_" + "A".repeat(43);
        List<String> headers = List.of("Bearer", "Bearer ", "Bearer a b", "bearer " + unknown, "Bearer " + unknown + "x".repeat(200),
                "Bearer ptx_", "Basic", "Basic !!!", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(":empty-user".getBytes(StandardCharsets.UTF_8)), "Digest username=\"duty\"",
                "Token abc", ",", "Bearer " + "x".repeat(5000), "Basic " + "QQ==".repeat(1500));
        for (String h : headers) {
            var api = TestNodes.send(HttpRequest.newBuilder(uri("/api/v1/cases")).header("Authorization", h).GET().build());
            assertEquals(401, api.statusCode(), h + ": " + api.body());
            assertProblem(api);
            var tx = TestNodes.send(HttpRequest.newBuilder(uri("/taxii2/")).header("Authorization", h).header("Accept", TAXII).GET().build());
            assertEquals(401, tx.statusCode(), h + ": " + tx.body());
            assertTrue(tx.headers().firstValue("Content-Type").orElse("").startsWith("application/taxii+json"), h);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    String create(String user, String body) throws Exception {
        var res = basic("POST", "/api/v1/tokens", user, body);
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("token").asText();
    }

    HttpResponse<String> basic(String method, String path, String user, String body) throws Exception {
        String pw = user.equals(TestNodes.USER) ? TestNodes.PASSWORD : PASSWORD;
        return call(method, path, "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8)), body);
    }

    HttpResponse<String> bearer(String method, String path, String token, String body) throws Exception {
        return call(method, path, "Bearer " + token, body);
    }

    HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", authorization);
        if (!method.equals("GET")) b.header("Content-Type", "application/json");
        return TestNodes.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> taxii(String token, String path) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Accept", TAXII).GET().build());
    }

    HttpResponse<String> taxiiPost(String token, String path) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Accept", TAXII)
                .header("Content-Type", TAXII).POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[]}")).build());
    }

    static void assertProblem(HttpResponse<String> res) {
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.headers().map().toString());
        assertEquals(res.statusCode(), Json.parse(res.body()).path("status").asInt(), res.body());
    }

    long count(String table) {
        return node.node().db().queryOne("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow();
    }

    long tokenCount() {
        return count("api_tokens");
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    URI uri(String path) {
        return URI.create(node.baseUrl() + path);
    }

    static String caseBody(String summary) {
        return RolesAndPermissionsTest.caseBody(summary);
    }
}
