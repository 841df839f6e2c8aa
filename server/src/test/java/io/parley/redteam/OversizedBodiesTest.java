package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.parley.envelope.Tlp;
import io.parley.federation.CappedResponses;
import io.parley.federation.PeerClient;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Item 13: every body this node reads is bounded by the stream, not by a header (a chunked request has none), and
 * so is every answer it reads from a peer.
 */
class OversizedBodiesTest {
    static final long THIRTY_MIB = 30L * 1024 * 1024;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("big", Tlp.AMBER, net.a, net.b), net.a, net.b);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** A JSON-looking body of {@code size} bytes produced lazily, counting what the server pulled. */
    static InputStream endlessJson(long size, AtomicLong pulled) {
        byte[] head = "{\"v\":1,\"body\":{\"text\":\"".getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= size) return -1;
                int b = pos < head.length ? head[(int) pos] : 'x';
                pos++;
                pulled.incrementAndGet();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (pos >= size) return -1;
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) buf[off + i] = (byte) (pos + i < head.length ? head[(int) (pos + i)] : 'x');
                pos += n;
                pulled.addAndGet(n);
                return n;
            }
        };
    }

    /**
     * POSTs a 30 MiB body with chunked transfer encoding (no Content-Length) over a raw socket, so that what was
     * written is what the server took off the wire (give or take socket buffers); returns the status line, or
     * null if the server hung up before we could read one.
     */
    static String chunked(NodeServer to, String path, String contentType, boolean auth, AtomicLong written) throws Exception {
        URI uri = URI.create(to.baseUrl());
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setSendBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\n" + (auth ? String.join(": ", io.parley.testing.WebSessions.authHeader(to, path, TestNodes.USER, TestNodes.PASSWORD)) + "\r\n" : "") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream body = endlessJson(THIRTY_MIB, new AtomicLong())) {
                    int n;
                    while ((n = body.read(buf, 0, buf.length)) > 0) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(buf, 0, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        written.addAndGet(n);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the server closed the connection on us: it stopped reading
                }
            });
            String status;
            try {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                status = in.readLine();
                StringBuilder headers = new StringBuilder();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) headers.append(line).append('\n');
                if (status != null) status = status + "\n" + headers;
            } catch (IOException e) {
                status = null;
            }
            socket.close();
            writer.join(60_000);
            return status;
        }
    }

    static void assertCutOff(NodeServer node, String path, String contentType, boolean auth) throws Exception {
        AtomicLong written = new AtomicLong();
        String status = chunked(node, path, contentType, auth, written);
        // The unfixed node read all 30 MiB, parsed it and answered 400. A 413 proves the limit held on the stream
        // (after answering, Jetty may still discard what is in flight until it closes); a hang-up must come early.
        if (status == null) assertTrue(written.get() < THIRTY_MIB, path + ": the server took the whole body and answered nothing");
        else {
            assertTrue(status.startsWith("HTTP/1.1 413"), path + " answered " + status);
            String type = status.toLowerCase(java.util.Locale.ROOT);
            assertTrue(type.contains("content-type: application/problem+json") || type.contains("content-type: application/taxii+json")
                    || (path.startsWith("/channels/") && type.contains("content-type: text/html")), status);
        }
        assertEquals(200, TestNodes.get(node, "/healthz").statusCode(), "node unhealthy after a chunked body to " + path);
    }

    @Test
    void thirtyMibChunkedBodyToTheInboxIsRefused() throws Exception {
        long before = net.b.node().envelopes().count();
        assertCutOff(net.b, "/federation/v1/inbox", "application/json", false);
        assertEquals(before, net.b.node().envelopes().count());
    }

    @Test
    void thirtyMibChunkedBodyToTheWitnessIsRefused() throws Exception {
        assertCutOff(net.b, "/log/witness/add-checkpoint", "text/plain", false);
    }

    @Test
    void thirtyMibChunkedBodyToApiRoutesIsRefused() throws Exception {
        assertCutOff(net.a, "/api/v1/channels/big/messages", "application/json", true);
        assertCutOff(net.a, "/api/v1/evidence", "application/json", true);
        assertCutOff(net.a, "/api/v1/evidence/misp", "application/json", true);
        assertCutOff(net.a, "/api/v1/peers", "application/json", true);
        assertCutOff(net.a, "/taxii2/api/collections/" + io.parley.taxii.CollectionIds.own(net.a.node().origin()) + "/objects/", "application/taxii+json;version=2.1", true);
    }

    @Test
    void thirtyMibChunkedWebFormIsRefused() throws Exception {
        assertCutOff(net.a, "/channels/big/ping", "application/x-www-form-urlencoded", true);
    }

    /** A hostile "peer": answers every request with 200 and a body that never ends. */
    static HttpServer endlessPeer(AtomicLong served) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0); // chunked, no length
            byte[] chunk = ("{\"envelopes\":[" + "0,".repeat(8000)).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = ex.getResponseBody()) {
                while (served.get() < 2L * 1024 * 1024 * 1024) {
                    out.write(chunk);
                    served.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the client hung up: what we want
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    @Test
    void hostilePeerAnsweringAnEndlessBodyIsCutOff() throws Exception {
        AtomicLong served = new AtomicLong();
        HttpServer evil = endlessPeer(served);
        try {
            String url = "http://127.0.0.1:" + evil.getAddress().getPort();
            PeerClient client = new PeerClient(SigningKey.generate("cert-a.example"), Clock.systemUTC(), Duration.ofSeconds(10));
            assertThrows(IOException.class, () -> client.card(url));
            assertThrows(IOException.class, () -> client.catchUp(url, "big", "evil.example", 0, 10));
            assertThrows(IOException.class, () -> client.deliver(url, List.of("{}")));
            // Everything else (evidence fetch, cosignature collection, the CLI) reads through the same capped reader.
            var req = HttpRequest.newBuilder(URI.create(url + "/federation/v1/evidence/x")).GET().build();
            assertThrows(IOException.class, () -> CappedResponses.send(CLIENT, req, 1024 * 1024, Duration.ofSeconds(30)));
            assertTrue(served.get() < 200L * 1024 * 1024, "read " + served.get() + " bytes of an endless answer");
            // peer add through the API: a clean 4xx problem, and the node carries on.
            var res = TestNodes.post(net.a, "/api/v1/peers", Json.write(Json.object().put("url", url).put("fingerprint", "SHA256:x")));
            assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, res.statusCode() + " " + res.body());
            assertEquals(200, TestNodes.get(net.a, "/healthz").statusCode());
        } finally {
            evil.stop(0);
        }
    }
}
