package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.receipt.ReceiptVerifier;
import io.parley.redteam.HostileNetwork;
import io.parley.server.NodeServer;
import io.parley.store.OutboxStore;
import io.parley.testing.TestNodes;

/**
 * A delivered batch's marks are written together (issue 15), and still only with verified receipts: B's inbox answers
 * reach A through a proxy that spoils or drops the receipt of one envelope of the batch; A marks delivered exactly
 * the envelopes before it, whose receipts verify, and sends the rest again.
 */
class DeliveredMarksTest {
    static final String B = "cert-b.example";
    @TempDir Path tmp;

    @Test
    void batchWithASpoiledOrMissingReceiptMarksOnlyTheVerifiedOnes() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp); ReceiptProxy proxy = new ReceiptProxy(net.b.baseUrl())) {
            TestNodes.establish(TestNodes.charter("marks", Tlp.AMBER, Map.of(net.a, net.a.baseUrl(), net.b, proxy.url())), net.a, net.b);
            OutboxStore outbox = net.a.federation().outbox();
            assertTrue(TestNodes.eventually(20, () -> outbox.count(B, "queued") == 0));
            proxy.down = true; // the batch builds up at A
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) sent.add(HostileNetwork.send(net.a, "marks", Tlp.AMBER, "marks " + i));
            proxy.spoil = Set.of(sent.get(7));
            proxy.down = false;

            assertTrue(TestNodes.eventually(30, () -> state(outbox, sent.get(6)).equals("delivered")), "the envelopes before the spoiled receipt");
            int posts = proxy.posts;
            assertTrue(TestNodes.eventually(30, () -> proxy.posts >= posts + 2), "A sent the rest again");
            for (int i = 0; i < 7; i++) assertEquals("delivered", state(outbox, sent.get(i)), "#" + i);
            for (int i = 7; i < 20; i++) assertEquals("queued", state(outbox, sent.get(i)), "#" + i + " is not delivered without a verified receipt");
            assertTrue(status(outbox, sent.get(7)).lastError().contains("receipt does not verify"), status(outbox, sent.get(7)).lastError());

            proxy.drop = Set.of(sent.get(12));
            proxy.spoil = Set.of();
            assertTrue(TestNodes.eventually(30, () -> state(outbox, sent.get(11)).equals("delivered")), "up to the missing receipt");
            int again = proxy.posts;
            assertTrue(TestNodes.eventually(30, () -> proxy.posts >= again + 2));
            for (int i = 12; i < 20; i++) assertEquals("queued", state(outbox, sent.get(i)), "#" + i + " is not delivered without a receipt");
            assertEquals("accepted, receipt pending", status(outbox, sent.get(12)).lastError());

            proxy.drop = Set.of();
            assertTrue(TestNodes.eventually(30, () -> outbox.count(B, "queued") == 0), "all delivered once receipts come back");
            var bKey = net.b.node().key().verifierKey();
            for (String h : sent) {
                OutboxStore.Status s = status(outbox, h);
                assertEquals("delivered", s.state());
                byte[] canonical = net.a.node().envelopes().byHash(h).orElseThrow().envelope().canonicalBytes();
                ReceiptVerifier.verify(canonical, Json.parse(s.receipt()).path("tlog_proof").asText(), bKey, List.of(), 0);
            }
        }
    }

    static OutboxStore.Status status(OutboxStore outbox, String hash) {
        return outbox.forEnvelope(hash).stream().filter(s -> s.recipient().equals(B)).findFirst().orElseThrow();
    }

    static String state(OutboxStore outbox, String hash) {
        return status(outbox, hash).state();
    }

    /**
     * B's inbox as A reaches it: forwarded, unsigned (B takes unsigned posts), with the receipts of the envelopes in
     * {@code spoil} made not to verify and those in {@code drop} taken out; 503 while {@code down}.
     */
    static final class ReceiptProxy implements AutoCloseable {
        final HttpServer server;
        final String target;
        final HttpClient http = HttpClient.newHttpClient();
        volatile boolean down;
        volatile Set<String> spoil = Set.of(), drop = Set.of();
        volatile int posts;

        ReceiptProxy(String target) throws IOException {
            this.target = target;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean inbox = ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().equals("/federation/v1/inbox");
            if (inbox && down) {
                reply(ex, 503, "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (inbox) posts++;
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null) req.header("Content-Type", type);
            HttpResponse<byte[]> res;
            try {
                res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 502, new byte[0]);
                return;
            }
            byte[] answer = res.body();
            if (inbox && res.statusCode() == 200) answer = tamper(body, answer);
            reply(ex, res.statusCode(), answer);
        }

        private byte[] tamper(byte[] request, byte[] answer) {
            JsonNode items = Json.parse(request).path("envelopes");
            JsonNode results = Json.parse(answer).path("results");
            for (int i = 0; i < items.size() && i < results.size(); i++) {
                String hash = Envelope.fromJson(items.get(i)).hash();
                ObjectNode r = (ObjectNode) results.get(i);
                if (drop.contains(hash)) r.remove("receipt");
                if (spoil.contains(hash) && r.has("receipt")) {
                    ObjectNode receipt = (ObjectNode) r.get("receipt");
                    String proof = receipt.path("tlog_proof").asText();
                    // another leaf's proof: the checkpoint still verifies, the inclusion proof does not
                    receipt.put("tlog_proof", proof.replaceFirst("index \\d+", "index 0"));
                }
            }
            ObjectNode out = Json.object();
            out.set("results", results);
            return Json.write(out).getBytes(StandardCharsets.UTF_8);
        }

        private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
