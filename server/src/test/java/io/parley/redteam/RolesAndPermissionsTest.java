package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Passwords;
import io.parley.auth.Permission;
import io.parley.auth.Permissions;
import io.parley.auth.Role;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/**
 * Roles and per-channel grants (issue 11): every route the node registers declares its permission in the one table,
 * a viewer changes nothing through any state-changing route, and an officer acts only on the channels granted to it.
 * Each refusal is checked to have left the node's state as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesAndPermissionsTest {
    @TempDir static Path tmp;
    static final String CH = "roles-ch";
    static final String VIEWER = "watcher", CLERK = "clerk", PASSWORD = "roles-password-1";
    NodeServer node;
    SigningKey peer;
    String caseId;

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        peer = SigningKey.generate("peer-b");
        TestNodes.activate(node, Fixtures.charter(CH, Tlp.AMBER, node.node().key(), peer), peer);
        TestNodes.activate(node, Fixtures.charter("other-ch", Tlp.AMBER, node.node().key(), peer), peer);
        assertTrue(TestNodes.eventually(10, () -> node.node().charters().active(CH)));
        var opened = TestNodes.post(node, "/api/v1/channels/" + CH + "/cases", caseBody("opened by the duty officer"));
        assertEquals(201, opened.statusCode(), opened.body());
        caseId = Json.parse(opened.body()).path("case").path("id").asText(Json.parse(opened.body()).path("id").asText());
        assertFalse(caseId.isEmpty(), opened.body());
        String hash = Passwords.hash(PASSWORD);
        node.node().users().put(VIEWER, hash, "viewer", Instant.now());
        node.node().users().put(CLERK, hash, "officer", Instant.now());
        node.node().users().setChannels(CLERK, List.of("other-ch"));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void everyRegisteredRouteDeclaresItsPermission() {
        List<String> missing = new ArrayList<>();
        for (String endpoint : node.http().endpoints()) {
            String[] mp = endpoint.split(" ", 2);
            String method = mp[0].equals("HEAD") ? "GET" : mp[0];
            if (Permissions.required(method, mp[1]).isEmpty()) missing.add(endpoint);
        }
        assertEquals(List.of(), missing, "routes without a declared permission (declare public ones as Permission.Public)");
        assertTrue(node.http().endpoints().size() > 60, "the walk saw the whole surface: " + node.http().endpoints().size());
        List<String> stale = Permissions.table().keySet().stream().filter(r -> !node.http().endpoints().contains(r)).toList();
        assertEquals(List.of(), stale, "declared routes the node no longer serves: the table must say what is, not what was");
    }

    @Test
    void viewerChangesNothingThroughAnyStateChangingRoute() throws Exception {
        Map<String, Long> before = state();
        List<String> driven = new ArrayList<>();
        for (String endpoint : stateChanging()) {
            var res = drive(endpoint, VIEWER);
            assertEquals(403, res.statusCode(), endpoint + " as a viewer: " + res.body());
            assertRefusalNamesWhy(endpoint, res, "viewer");
            driven.add(endpoint);
        }
        assertTrue(driven.size() >= 15, "drove " + driven);
        assertEquals(before, state(), "a viewer's refused requests changed nothing");
        // and reading still works
        assertEquals(200, get("/api/v1/cases", VIEWER).statusCode());
        assertEquals(200, get("/api/v1/cases/" + caseId + "?channel=" + CH, VIEWER).statusCode());
        assertEquals(200, get("/cases/" + caseId + "?channel=" + CH, VIEWER).statusCode());
    }

    @Test
    void officerWithoutAGrantCannotActOnThatChannel() throws Exception {
        Map<String, Long> before = state();
        List<String> driven = new ArrayList<>();
        for (String endpoint : stateChanging()) {
            String[] mp = endpoint.split(" ", 2);
            Permission p = Permissions.required(mp[0], mp[1]).orElseThrow();
            if (Role.OFFICER.allows(Set.of("other-ch"), p, CH)) continue; // e.g. evidence upload: not channel-bound
            var res = drive(endpoint, CLERK);
            assertEquals(403, res.statusCode(), endpoint + " as an officer without " + CH + ": " + res.body());
            if (p instanceof Permission.OnChannel) assertRefusalNamesWhy(endpoint, res, "not among the channels granted");
            driven.add(endpoint);
        }
        assertTrue(driven.stream().filter(e -> e.contains("{id}")).count() >= 10, "drove " + driven);
        assertEquals(before, state(), "the officer's refused requests changed nothing");
    }

    @Test
    void officerActsOnTheChannelGrantedToIt() throws Exception {
        node.node().users().put("desk", Passwords.hash(PASSWORD), "officer", Instant.now());
        node.node().users().setChannels("desk", List.of(CH));
        var opened = send(HttpRequest.newBuilder(uri("/api/v1/channels/" + CH + "/cases")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(caseBody("opened by a granted officer"))), "desk");
        assertEquals(201, opened.statusCode(), opened.body());
        var elsewhere = send(HttpRequest.newBuilder(uri("/api/v1/channels/other-ch/ping")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "desk");
        assertEquals(403, elsewhere.statusCode(), elsewhere.body());
        var red = send(HttpRequest.newBuilder(uri("/api/v1/red-grants/desk")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"*\"]}")), "desk");
        assertEquals(403, red.statusCode(), "an officer cannot grant itself RED: " + red.body());
        assertEquals(Set.of(), node.node().users().redScopes("desk"));
    }

    @Test
    void disabledAccountIsRefusedAtOnce() throws Exception {
        node.node().users().put("leaver", Passwords.hash(PASSWORD), "officer", Instant.now());
        node.node().users().setChannels("leaver", List.of("*"));
        assertEquals(200, get("/api/v1/cases", "leaver").statusCode());
        assertEquals(200, get("/", "leaver").statusCode(), "signed in to the web UI");
        assertTrue(node.node().users().setDisabled("leaver", true));
        assertEquals(401, get("/api/v1/cases", "leaver").statusCode(), "a remembered password no longer signs in");
        var web = get("/", "leaver");
        assertEquals(303, web.statusCode(), "the open web session ended");
        assertEquals("/login", web.headers().firstValue("Location").orElse(""));
        assertEquals(401, io.parley.testing.WebSessions.postLogin(node, "leaver", PASSWORD, null).statusCode(), "and no new one starts");
        assertEquals(401, get("/taxii2/", "leaver").statusCode());
    }

    @Test
    void onlyAnAdminManagesAccountsInTheWebUi() throws Exception {
        node.node().users().put("chief", Passwords.hash(PASSWORD), "admin", Instant.now());
        var denied = get("/users", TestNodes.USER);
        assertEquals(403, denied.statusCode(), "an officer, even granted every channel, does not manage accounts");
        assertTrue(denied.body().contains("Not permitted") && denied.body().contains("manage-users"), denied.body());
        var page = get("/users", "chief");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains(VIEWER) && page.body().contains("other-ch"), "the page lists accounts and grants");
        String token = csrfOn("/users", "chief");
        var saved = send(HttpRequest.newBuilder(uri("/users")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&username=night-desk&password=night-desk-pw&role=officer&channels=" + CH)), "chief");
        assertEquals(303, saved.statusCode(), saved.body());
        assertEquals(Set.of(CH), node.node().users().channels("night-desk"));
        assertEquals("officer", node.node().users().find("night-desk").orElseThrow().role());
        var disabled = send(HttpRequest.newBuilder(uri("/users/night-desk/disable")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8))), "chief");
        assertEquals(303, disabled.statusCode(), disabled.body());
        assertTrue(node.node().users().find("night-desk").isEmpty(), "a disabled account cannot sign in");
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    /**
     * Every registered endpoint that is not a read, not public and not one's own account (sign-out, one's second factor:
     * every role holds that, and it reaches no one else), as "METHOD template".
     */
    List<String> stateChanging() {
        List<String> out = new ArrayList<>();
        for (String endpoint : node.http().endpoints()) {
            String[] mp = endpoint.split(" ", 2);
            if (mp[0].equals("GET") || mp[0].equals("HEAD") || mp[0].equals("OPTIONS")) continue;
            Permission p = Permissions.required(mp[0], mp[1]).orElseThrow(() -> new AssertionError("undeclared: " + endpoint));
            // a POST under READ (verifying an uploaded bundle) reads and stores nothing: every role may
            if (!(p instanceof Permission.Public) && p != Permission.Global.OWN_ACCOUNT && p != Permission.Global.READ) out.add(endpoint);
        }
        return out;
    }

    HttpResponse<String> drive(String endpoint, String user) throws Exception {
        String[] mp = endpoint.split(" ", 2);
        String template = mp[1];
        boolean onCase = template.startsWith("/api/v1/cases/") || template.startsWith("/cases/");
        String path = template.replace("{id}", template.contains("/collections/") ? "any-collection" : onCase ? caseId : CH)
                .replace("{action}", "ack").replace("{origin}", peer.name()).replace("{username}", TestNodes.USER)
                .replace("{name}", TestNodes.USER).replace("{hash}", "0".repeat(64)).replace("{sha256}", "0".repeat(64)) + (onCase ? "?channel=" + CH : "");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        String body;
        if (template.startsWith("/taxii2")) {
            b.header("Content-Type", "application/taxii+json;version=2.1").header("Accept", "application/taxii+json;version=2.1");
            body = "{\"objects\":[]}";
        } else if (template.startsWith("/api/")) {
            b.header("Content-Type", "application/json");
            body = template.equals("/api/v1/channels/{id}/messages") ? "{\"kind\":\"notify\",\"tlp\":\"amber\",\"body\":{\"text\":\"x\"}}" : "{}";
        } else {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            body = "csrf=" + URLEncoder.encode(csrf(user), StandardCharsets.UTF_8) + "&text=forbidden";
        }
        return send(b.method(mp[0], HttpRequest.BodyPublishers.ofString(body)), user);
    }

    void assertRefusalNamesWhy(String endpoint, HttpResponse<String> res, String why) {
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (endpoint.contains(" /api/")) assertTrue(type.startsWith("application/problem+json"), endpoint + ": " + type);
        else if (endpoint.contains(" /taxii2")) assertTrue(type.startsWith("application/taxii+json"), endpoint + ": " + type);
        else assertTrue(type.startsWith("text/html") && res.body().contains("Not permitted"), endpoint + ": " + res.body());
        assertTrue(res.body().contains(why), endpoint + ": " + res.body());
    }

    /** The web form token of {@code user}, read from the case page as a browser would. */
    String csrf(String user) throws Exception {
        return csrfOn("/cases/" + caseId + "?channel=" + CH, user);
    }

    String csrfOn(String page, String user) throws Exception {
        String html = get(page, user).body();
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "the case page carries a form token: " + html);
        return m.group(1);
    }

    /** What a refused request must not change: row counts of everything users can create, and every account. */
    Map<String, Long> state() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String table : List.of("envelopes", "cases", "parties", "channels", "charter_signatures", "users", "user_channels",
                "evidence_bundles", "stix_objects", "api_tokens", "evidence_red_grants")) {
            out.put(table, node.node().db().queryOne("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow());
        }
        node.node().users().accounts().forEach(a -> out.put("account " + a, 1L));
        return out;
    }

    HttpResponse<String> get(String path, String user) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", path.startsWith("/taxii2") ? "application/taxii+json;version=2.1" : "*/*").GET(), user);
    }

    /** Sends as {@code user}: HTTP Basic for the API and TAXII, a session of that user (signed in at /login) for web pages. */
    HttpResponse<String> send(HttpRequest.Builder b, String user) throws Exception {
        String pw = user.equals(TestNodes.USER) ? TestNodes.PASSWORD : PASSWORD;
        String path = b.build().uri().getPath();
        if (io.parley.testing.WebSessions.webPage(path)) return TestNodes.send(b.header("Cookie", session(user, pw)).build());
        return TestNodes.send(b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8))).build());
    }

    final Map<String, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    /** One web session per user, so that a form's token (bound to the session) matches the session that posts it. */
    String session(String user, String password) throws Exception {
        String s = sessions.get(user);
        if (s == null) sessions.put(user, s = io.parley.testing.WebSessions.signIn(node, user, password));
        return s;
    }

    URI uri(String path) {
        return URI.create(node.baseUrl() + path);
    }

    static String caseBody(String summary) {
        return "{\"kind\":\"request\",\"priority\":\"routine\",\"tlp\":\"amber\",\"body\":{\"summary\":\"" + summary + "\",\"type\":\"information\",\"asked\":\"please confirm\"}}";
    }
}
