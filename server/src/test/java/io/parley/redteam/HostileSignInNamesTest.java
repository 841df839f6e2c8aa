package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * An anonymous client types user names no account can have into every way to sign in. Before the fix a NUL character
 * in the name reached the database, which PostgreSQL refuses: the web sign-in, the API and TAXII answered 500 (and
 * logged a stack trace per request) instead of refusing the sign-in.
 */
class HostileSignInNamesTest {
    @TempDir Path tmp;
    NodeServer node;

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-names.example", null, new MutableClock(Instant.parse("2026-11-30T09:00:00Z")));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNulInTheUserNameIsARefusedSignInNotA500() throws Exception {
        String name = TestNodes.USER + "\u0000";
        var web = WebSessions.postLogin(node, name, TestNodes.PASSWORD, null);
        assertEquals(401, web.statusCode(), web.body());
        assertTrue(web.body().contains("Unknown user or wrong password"), web.body());

        HttpResponse<String> api = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node"))
                .header("Authorization", basic(name)).GET().build());
        assertEquals(401, api.statusCode(), api.body());
        assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), api.body());

        HttpResponse<String> taxii = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/taxii2/"))
                .header("Authorization", basic(name)).header("Accept", "application/taxii+json;version=2.1").GET().build());
        assertEquals(401, taxii.statusCode(), taxii.body());

        // the name alone still signs in, and the refusals were counted and recorded like any other
        assertEquals(200, TestNodes.get(node, "/api/v1/node").statusCode());
        assertTrue(node.node().audit().after(0, 100).stream().anyMatch(r -> r.action().equals(io.parley.audit.AuditAction.SIGN_IN.code()) && !r.ok()),
                "the refused sign-ins are on the record");
    }
}
