package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.json.Json;
import io.parley.receipt.ReceiptVerifier;
import io.parley.server.DemoNetwork;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.tls.NodeTls;
import io.parley.tls.Pem;

/** './parley demo --tls': three nodes on HTTPS with a demo CA, federating over TLS; the printed 'ca:' line is what to trust. */
public class DemoTlsTest {
    @TempDir Path tmp;

    @Test
    void tlsDemoPrintsItsCaServesHttpsOnlyToClientsTrustingItAndFederatesWithVerifiedReceipts() throws Exception {
        try (DemoNetwork demo = DemoNetwork.start(tmp, 0, Clock.systemUTC(), true)) {
            StringWriter printed = new StringWriter();
            DemoCommand.print(new PrintWriter(printed, true), demo, tmp);
            List<String> lines = printed.toString().lines().toList();
            Path ca = Path.of(lines.stream().filter(l -> l.startsWith("ca: ")).findFirst().orElseThrow(() -> new AssertionError(printed)).substring(4));
            assertTrue(Files.exists(ca), "the ca: line names the CA certificate");
            assertEquals(1, Pem.certificates(ca).size());

            HttpClient trustingCa = HttpClient.newBuilder().sslContext(NodeTls.clientContext(Pem.certificates(ca))).build();
            HttpClient withoutCa = HttpClient.newBuilder().sslContext(NodeTls.clientContext(List.of())).build();
            for (NodeServer n : demo.nodes()) {
                assertTrue(n.baseUrl().startsWith("https://127.0.0.1:"), n.baseUrl());
                assertTrue(lines.stream().anyMatch(l -> l.contains(n.baseUrl())), "the printed URL is the https one");
                URI card = URI.create(n.baseUrl() + "/.well-known/parley");
                HttpResponse<String> res = trustingCa.send(HttpRequest.newBuilder(card).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, res.statusCode());
                assertEquals(n.baseUrl(), Json.parse(res.body()).path("base_url").asText());
                assertThrows(SSLHandshakeException.class, () -> withoutCa.send(HttpRequest.newBuilder(card).build(), HttpResponse.BodyHandlers.ofString()),
                        "a client that does not trust the demo CA refuses " + n.node().origin());
            }

            // a message sent through the API over HTTPS federates over TLS and comes back with receipts that verify
            NodeServer a = demo.nodes().get(0);
            String auth = "Basic " + Base64.getEncoder().encodeToString((DemoNetwork.USER + ":" + demo.password()).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> sent = trustingCa.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/channels/demo-trilateral/messages"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"notify\",\"priority\":\"urgent\",\"tlp\":\"amber\",\"body\":{\"text\":\"over TLS\",\"lang\":\"en\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, sent.statusCode(), sent.body());
            String hash = Json.parse(sent.body()).path("hash").asText();
            assertTrue(TestNodes.eventually(20, () -> a.federation().outbox().forEnvelope(hash).stream().allMatch(s -> s.state().equals("delivered"))),
                    "delivered over TLS to both peers");
            HttpResponse<String> deliveries = trustingCa.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/envelopes/" + hash + "/deliveries"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode ds = Json.parse(deliveries.body());
            assertEquals(2, ds.size(), deliveries.body());
            Envelope env = a.node().envelopes().byHash(hash).orElseThrow().envelope();
            for (JsonNode d : ds) {
                NodeServer recipient = demo.nodes().stream().filter(n -> n.node().origin().equals(d.path("recipient").asText())).findFirst().orElseThrow();
                assertTrue(recipient.node().envelopes().byHash(hash).isPresent());
                ReceiptVerifier.verify(env.canonicalBytes(), d.path("receipt").path("tlog_proof").asText(), recipient.node().key().verifierKey(), List.of(), 0);
            }
        }
    }
}
