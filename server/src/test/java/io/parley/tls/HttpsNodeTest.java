package io.parley.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.json.Json;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;

/** A node with {@code tls} in parley.json, on loopback with a real (self-signed) certificate: HTTPS only, 1.2+. */
public class HttpsNodeTest {
    @TempDir Path tmp;

    private NodeConfig selfSignedNode(Path dir) throws IOException {
        NodeConfig cfg = NodeInit.create(dir, new NodeInit.Options("cert-t.example", null, null, null, 1, null, List.of()), Instant.now());
        return NodeInit.addSelfSignedTls(dir, cfg, Instant.now()).withPort(0);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void selfSignedNodeServesHttpsOnlyWithHttpsCardAndTls13() throws Exception {
        Path dir = tmp.resolve("node");
        NodeConfig cfg = selfSignedNode(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(NodeInit.TLS_KEY_FILE))));
        assertTrue(NodeConfig.load(dir).baseUrl().startsWith("https://"), "init writes an https base URL");
        try (NodeServer n = NodeServer.start(dir, cfg, Clock.systemUTC())) {
            assertTrue(n.baseUrl().startsWith("https://127.0.0.1:"), n.baseUrl());
            List<java.security.cert.X509Certificate> ca = Pem.certificates(dir.resolve(NodeInit.TLS_CERT_FILE));
            HttpClient trusting = HttpClient.newBuilder().sslContext(NodeTls.clientContext(ca)).build();
            HttpResponse<String> card = get(trusting, n.baseUrl() + "/.well-known/parley");
            assertEquals(200, card.statusCode());
            assertEquals("max-age=31536000", card.headers().firstValue("Strict-Transport-Security").orElse(""), "HSTS under TLS");
            assertEquals(n.baseUrl(), Json.parse(card.body()).path("base_url").asText(), "the card names the https URL");
            assertEquals("TLSv1.3", card.sslSession().orElseThrow().getProtocol(), "1.3 is preferred");

            // without the certificate in its trust, a client refuses the node
            HttpClient systemOnly = HttpClient.newBuilder().sslContext(NodeTls.clientContext(List.of())).build();
            assertThrows(SSLHandshakeException.class, () -> get(systemOnly, n.baseUrl() + "/healthz"));
            // plain HTTP on the same port is no HTTP service
            HttpClient plain = HttpClient.newHttpClient();
            String http = n.baseUrl().replace("https://", "http://");
            try {
                HttpResponse<String> res = get(plain, http + "/healthz");
                assertNotEquals(200, res.statusCode(), "plain HTTP must not be served");
            } catch (IOException expected) {
                // the TLS connector drops a plaintext request: also fine
            }
            // TLS 1.2 is still accepted, anything older is not spoken by the server
            SSLParameters only12 = new SSLParameters();
            only12.setProtocols(new String[] {"TLSv1.2"});
            HttpClient v12 = HttpClient.newBuilder().sslContext(NodeTls.clientContext(ca)).sslParameters(only12).build();
            assertEquals("TLSv1.2", get(v12, n.baseUrl() + "/healthz").sslSession().orElseThrow().getProtocol());
        }
    }

    @Test
    void nodeRefusesToStartWhenTheTlsKeyIsReadableByOthers() throws Exception {
        Path dir = tmp.resolve("node");
        NodeConfig cfg = selfSignedNode(dir);
        Files.setPosixFilePermissions(dir.resolve(NodeInit.TLS_KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> NodeServer.start(dir, cfg, Clock.systemUTC()).close());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void httpBaseUrlWithTlsIsRefused() throws Exception {
        Path dir = tmp.resolve("node");
        selfSignedNode(dir);
        String text = Files.readString(dir.resolve(NodeConfig.FILE)).replace("https://", "http://");
        Files.writeString(dir.resolve(NodeConfig.FILE), text);
        IOException e = assertThrows(IOException.class, () -> NodeConfig.load(dir));
        assertTrue(e.getMessage().contains("https://"), e.getMessage());
    }
}
