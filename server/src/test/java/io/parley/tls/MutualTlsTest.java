package io.parley.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;

/**
 * Mutual TLS between nodes, on loopback with real certificates from one CA: node-to-node routes answer only client
 * certificates whose SHA-256 a pinned peer's signed card named; a certificate from the very same CA is not enough.
 */
public class MutualTlsTest {
    @TempDir Path tmp;
    private final Certificates.Authority ca = Certificates.newAuthority("test CA", Instant.now());

    private NodeServer start(String origin) throws Exception {
        Path dir = tmp.resolve(origin);
        String jdbc = TestDatabases.POSTGRESQL.equals(System.getProperty("parley.test.db")) ? TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp) : null;
        NodeConfig cfg = NodeInit.create(dir, new NodeInit.Options(origin, origin, "CERT", "XA", 1, jdbc, List.of()), Instant.now());
        Path caFile = tmp.resolve("ca.crt");
        Pem.writeCertificates(caFile, List.of(ca.certificate()));
        NodeInit.addIssuedTls(dir, cfg, ca, caFile.toString(), true, Instant.now());
        return TestNodes.start(tmp, origin, null, Clock.systemUTC()); // restarts from the directory, with its tls settings
    }

    /** A client holding {@code cert} and {@code keys} (may be null: no client certificate), trusting the CA. */
    private HttpClient client(X509Certificate cert, KeyPair keys) throws Exception {
        javax.net.ssl.KeyManager[] km = null;
        if (cert != null) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("x", keys.getPrivate(), "p".toCharArray(), new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, "p".toCharArray());
            km = kmf.getKeyManagers();
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(km, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pinnedPeersFederateOverMutualTlsAndAnyOtherClientCertificateIsRefused() throws Exception {
        try (NodeServer a = start("cert-a.example"); NodeServer b = start("cert-b.example")) {
            // the card publishes the certificate's fingerprint, and peer add pins it with the signing key
            assertEquals(a.node().tls().orElseThrow().fingerprint(), a.node().card().tlsCertSha256());
            a.federation().peers().add(b.baseUrl(), b.node().card().fingerprint());
            b.federation().peers().add(a.baseUrl(), a.node().card().fingerprint());
            assertTrue(b.node().parties().isPinnedTlsCertificate(a.node().card().tlsCertSha256()));

            // a bilateral channel: proposal a→b, signature b→a, then a message — every hop over mutual TLS
            Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
            for (Priority p : Priority.values()) d.put(p, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
            Charter charter = new Charter("mtls", "mutual TLS line", Level.OPERATIONAL, List.of(
                    new Charter.Member(a.node().origin(), a.node().key().verifierKey(), a.baseUrl()),
                    new Charter.Member(b.node().origin(), b.node().key().verifierKey(), b.baseUrl())), d, Tlp.AMBER, List.of());
            a.node().channelActions().propose(charter);
            assertTrue(TestNodes.eventually(15, () -> b.node().channels().charter("mtls").isPresent()), "the proposal crossed");
            b.node().channelActions().sign("mtls", charter.hash());
            assertTrue(TestNodes.eventually(15, () -> a.node().charters().active("mtls") && b.node().charters().active("mtls")), "signatures crossed");
            var sent = (io.parley.envelope.Verdict.Accepted) a.node().composer().compose(new Composer.Draft("mtls", Kind.NOTIFY, null, Priority.URGENT, Tlp.AMBER,
                    Json.object().put("summary", "over mutual TLS").put("text", "hello").put("lang", "en")));
            assertTrue(TestNodes.eventually(15, () -> b.node().envelopes().byHash(sent.hash()).isPresent()), "the message federated");

            String inbox = b.baseUrl() + "/federation/v1/inbox";
            String body = "{\"envelopes\":[]}";
            // a certificate from the same CA, valid for the same names, but not pinned: refused
            KeyPair other = Certificates.newKeyPair();
            X509Certificate stranger = ca.issue("cert-a.example", Certificates.namesFor("cert-a.example"), other.getPublic(), Instant.now());
            HttpResponse<String> refused = post(client(stranger, other), inbox, body);
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("client-certificate-not-pinned", Json.parse(refused.body()).path("type").asText().replaceAll(".*/", ""));
            HttpResponse<String> witness = post(client(stranger, other), b.baseUrl() + "/log/witness/add-checkpoint", "x");
            assertEquals(403, witness.statusCode(), witness.body());
            // no client certificate at all: refused on node-to-node routes, public routes stay open
            HttpResponse<String> anonymous = post(client(null, null), inbox, body);
            assertEquals(403, anonymous.statusCode(), anonymous.body());
            assertEquals(200, client(null, null).send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/.well-known/parley")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
