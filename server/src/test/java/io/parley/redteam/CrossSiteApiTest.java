package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 11, cross-site safety of the API: a browser signed in to a node attaches its HTTP Basic credentials to every
 * request for that node, so a page on another site could post a form to {@code /api/v1} (or to TAXII) and act in the
 * officer's name. Every state-changing route refuses a form-encoded body (415) and a foreign {@code Origin} (403), and
 * either refusal changes nothing.
 */
class CrossSiteApiTest {
    static final String X = "rt-xsite";
    static final String FOREIGN = "https://attacker.example";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /**
     * The tables whose rows an API call changes; fingerprinted in full, so any write a refused call made shows, except
     * those that delivery keeps updating in the background, which are counted (a refused call would add rows to them).
     */
    private static final Set<String> COUNTED = Set.of("envelopes", "outbox", "charter_signatures");
    private static final List<String> STATE = List.of("parties", "channels", "envelopes", "users", "charter_signatures", "outbox", "cases",
            "evidence_bundles", "stix_objects", "api_tokens", "taxii_status", "evidence_red_grants");

    @TempDir
    static Path tmp;
    static HostileNetwork net;
    static String caseId;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter(X, Tlp.AMBER, net.a, net.b), net.a, net.b);
        ObjectNode req = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber");
        req.putObject("body").put("type", "mitigation").put("summary", "Phishing kit").put("asked", "Take it down");
        var res = TestNodes.post(net.a, "/api/v1/channels/" + X + "/cases", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        caseId = Json.parse(res.body()).path("id").asText();
        assertTrue(TestNodes.eventually(10, () -> net.b.node().envelopes().inCase(X, caseId).size() == 1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** The attack as a page on another site mounts it: an auto-submitted form, empty, to close the case and open a ping case. */
    @Test
    void formPostFromAnotherSiteCannotCloseACaseOrOpenAPing() throws Exception {
        String before = fingerprint(net.a);
        String close = "/api/v1/cases/" + caseId + "/close?channel=" + URLEncoder.encode(X, StandardCharsets.UTF_8);
        var closed = call(net.a, "POST", close, "application/x-www-form-urlencoded", FOREIGN, "");
        assertEquals(403, closed.statusCode(), closed.body());
        assertTrue(closed.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), closed.body());
        var pinged = call(net.a, "POST", "/api/v1/channels/" + X + "/ping", "application/x-www-form-urlencoded", FOREIGN, "");
        assertEquals(403, pinged.statusCode(), pinged.body());
        // the same form from a page that hides its Origin (a same-site form with no Origin header is still a form)
        var plain = call(net.a, "POST", close, "text/plain", null, "");
        assertEquals(415, plain.statusCode(), plain.body());
        assertEquals(before, fingerprint(net.a), "a refused cross-site call changed nothing");
        assertEquals("open", caseState(), "the case is still open");
        // the CLI's way (JSON, no Origin) and the node's own origin still work
        var own = call(net.a, "POST", close, "application/json", net.a.baseUrl(), "{}");
        assertEquals(200, own.statusCode(), own.body());
    }

    /** Every state-changing route under /api/v1 and /taxii2, found from the server itself, refuses both forgeries. */
    @Test
    void everyStateChangingRouteRefusesFormsAndForeignOrigins() throws Exception {
        NodeServer n = net.a;
        List<String> targets = new ArrayList<>();
        for (String endpoint : n.http().endpoints()) {
            int sp = endpoint.indexOf(' ');
            String method = endpoint.substring(0, sp);
            String route = endpoint.substring(sp + 1);
            if (!STATE_CHANGING.contains(method) || !(route.startsWith("/api/v1") || route.startsWith("/taxii2"))) continue;
            targets.add(method + " " + concrete(n, route));
        }
        assertTrue(targets.size() >= 12 && targets.stream().anyMatch(t -> t.startsWith("POST /taxii2/"))
                && targets.stream().anyMatch(t -> t.startsWith("PUT /api/v1/red-grants/")), "the walk sees every writing route: " + targets);
        String before = fingerprint(n);
        List<String> findings = new ArrayList<>();
        for (String t : targets) {
            String method = t.substring(0, t.indexOf(' '));
            String path = t.substring(t.indexOf(' ') + 1);
            boolean taxii = path.startsWith("/taxii2");
            String json = taxii ? "application/taxii+json;version=2.1" : "application/json";
            var form = call(n, method, path, "application/x-www-form-urlencoded", null, "charter_hash=" + "0".repeat(64) + "&text=x");
            if (form.statusCode() != 415) findings.add(t + " took a form: " + form.statusCode() + " " + form.body());
            var multipart = call(n, method, path, "multipart/form-data; boundary=b", null, "--b--\r\n");
            if (multipart.statusCode() != 415) findings.add(t + " took a multipart form: " + multipart.statusCode() + " " + multipart.body());
            var foreign = call(n, method, path, json, FOREIGN, "{}");
            if (foreign.statusCode() != 403) findings.add(t + " took a foreign Origin: " + foreign.statusCode() + " " + foreign.body());
            var opaque = call(n, method, path, json, "null", "{}");
            if (opaque.statusCode() != 403) findings.add(t + " took Origin: null: " + opaque.statusCode() + " " + opaque.body());
        }
        assertEquals(List.of(), findings);
        assertEquals(before, fingerprint(n), "no refused call changed anything");
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    /** The route with real values for its parameters, so that without the guard the call would reach its handler. */
    private static String concrete(NodeServer n, String route) throws Exception {
        String path = route.replace("{id}/{action}", caseId + "/close").replace("/api/v1/cases/{id}", "/api/v1/cases/" + caseId)
                .replace("{username}", TestNodes.USER).replace("{origin}", net.b.node().origin())
                .replace("{hash}", "ab".repeat(32)).replace("{sha256}", "cd".repeat(32));
        if (path.startsWith("/taxii2/")) path = path.replace("{id}", writableCollection(n));
        path = path.replace("{id}", X);
        if (path.contains("{")) throw new AssertionError("no value for a parameter of " + route);
        return path.startsWith("/api/v1/cases/") ? path + "?channel=" + URLEncoder.encode(X, StandardCharsets.UTF_8) : path;
    }

    private static String writableCollection(NodeServer n) throws Exception {
        var res = HTTP.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/taxii2/api/collections/")).header("Authorization", TestNodes.basicAuth())
                .header("Accept", "application/taxii+json;version=2.1").GET().build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode c : Json.parse(res.body()).path("collections")) if (c.path("can_write").asBoolean()) return c.path("id").asText();
        throw new AssertionError("no writable collection: " + res.body());
    }

    /** A signed-in browser's request: credentials attached, whatever content type and Origin the attacking page gives. */
    static HttpResponse<String> call(NodeServer n, String method, String path, String type, String origin, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", TestNodes.basicAuth()).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) b.header("Origin", origin);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String caseState() throws Exception {
        var res = TestNodes.get(net.a, "/api/v1/cases/" + caseId + "?channel=" + URLEncoder.encode(X, StandardCharsets.UTF_8));
        return Json.parse(res.body()).path("state").asText();
    }

    private static String fingerprint(NodeServer n) {
        StringBuilder sb = new StringBuilder();
        for (String table : STATE) {
            List<String> rows = n.node().db().query((COUNTED.contains(table) ? "SELECT COUNT(*) FROM " : "SELECT * FROM ") + table, rs -> {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.append(rs.getString(i)).append('|');
                return row.toString();
            });
            sb.append(table).append('=').append(rows.stream().sorted().toList()).append('\n');
        }
        return sb.toString();
    }
}
