package io.parley.api;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.Javalin;
import io.parley.cases.CaseException;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * The exception mapping over real HTTP: a bare server with only {@link HttpServer#mapErrors} (so routes can throw what
 * no real route should), and a node, whose routes let domain refusals out for the mapping to answer.
 */
class ExceptionMappingHttpTest {
    @TempDir static Path tmp;
    static Javalin bare;
    static NodeServer node;

    @BeforeAll
    static void start() throws Exception {
        bare = Javalin.create();
        HttpServer.mapErrors(bare);
        Runnable bug = () -> {
            throw new IllegalArgumentException("secret: index 7 out of range in parley_users");
        };
        Runnable refusal = () -> {
            throw new CaseException(409, "ambiguous-case", "case id 'c1' names cases in channels a, b");
        };
        bare.get("/api/v1/bug", ctx -> bug.run());
        bare.get("/api/v1/refusal", ctx -> refusal.run());
        bare.get("/taxii2/bug", ctx -> bug.run());
        bare.get("/taxii2/refusal", ctx -> refusal.run());
        bare.start("127.0.0.1", 0);
        node = TestNodes.start(tmp, "cert-a.example");
    }

    @AfterAll
    static void stop() {
        bare.stop();
        node.close();
    }

    @Test
    void anIllegalArgumentExceptionFromARouteIsA500ThatTellsNothing() throws Exception {
        var res = get("/api/v1/bug");
        assertEquals(500, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith(Problem.CONTENT_TYPE));
        assertTrue(Json.parse(res.body()).path("type").asText().endsWith("/internal"), res.body());
        assertFalse(res.body().contains("secret") || res.body().contains("IllegalArgument") || res.body().contains("at io.parley"), res.body());
    }

    @Test
    void aDomainRefusalFromARouteIsItsProblem() throws Exception {
        var res = get("/api/v1/refusal");
        assertEquals(409, res.statusCode(), res.body());
        JsonNode p = Json.parse(res.body());
        assertTrue(p.path("type").asText().endsWith("/ambiguous-case"), res.body());
        assertEquals("/api/v1/refusal", p.path("instance").asText());
    }

    @Test
    void taxiiGetsTheSameStatusInItsOwnErrorFormat() throws Exception {
        var refused = get("/taxii2/refusal");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/taxii+json"));
        assertEquals("409", Json.parse(refused.body()).path("http_status").asText());
        var bug = get("/taxii2/bug");
        assertEquals(500, bug.statusCode(), bug.body());
        assertTrue(bug.headers().firstValue("Content-Type").orElse("").startsWith("application/taxii+json"));
        assertFalse(bug.body().contains("secret"), bug.body());
    }

    @Test
    void aPeerThatCannotBeReachedIsA422ProblemFromTheMapping() throws Exception {
        // PeerDirectory turns the failed fetch into PeerRefused; the route lets it out untranslated
        var res = TestNodes.post(node, "/api/v1/peers", "{\"url\":\"http://127.0.0.1:1\",\"fingerprint\":\"SHA256:x\"}");
        assertEquals(422, res.statusCode(), res.body());
        assertTrue(Json.parse(res.body()).path("type").asText().endsWith("/peer-unreachable"), res.body());
        var unknown = TestNodes.post(node, "/api/v1/peers/cert-z.example/refresh", "{}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(Json.parse(unknown.body()).path("type").asText().endsWith("/peer-refused"), unknown.body());
    }

    @Test
    void aTaxiiRefusalByTheSharedGuardIsATaxiiError() throws Exception {
        // CrossSiteGuard throws a plain problem; under /taxii2 the one mapping words it as TAXII
        var req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/taxii2/api/collections/x/objects/"))
                .header("Authorization", TestNodes.basicAuth()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        var res = TestNodes.send(req);
        assertEquals(415, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/taxii+json"), res.body());
        assertEquals("415", Json.parse(res.body()).path("http_status").asText());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.port() + path)).GET().build());
    }
}
