package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.api.ConnectionLimits;
import io.parley.api.HttpServer;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 11, slow-request attacks: a client that opens a connection and trickles header bytes, each in time to keep
 * Jetty's idle timeout from firing, held the connection for ever; a few thousand such clients exhaust the server.
 * The node's HTTP server (limits shortened here so the test is quick) cuts such a connection off after its header
 * deadline, caps header size and connections, and keeps answering honest requests.
 */
class SlowRequestTest {
    static final ConnectionLimits QUICK = new ConnectionLimits(Duration.ofSeconds(2), Duration.ofSeconds(2), 8 * 1024, 1024, 8);

    @TempDir static Path tmp;
    static NodeServer node;
    static HttpServer http;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        http = HttpServer.start(node.node(), node.federation(), node.cases(), "127.0.0.1", 0, QUICK);
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (node != null) node.close();
    }

    @Test
    void tricklingHeadersIsCutOffWhileHonestRequestsAreServed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(250);
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean cut = false;
            // one byte every 250 ms: far inside the 2 s idle timeout, so only the header deadline can end it
            while (!cut && System.nanoTime() - started < Duration.ofSeconds(12).toNanos()) {
                assertEquals(200, honest(), "an honest request is answered meanwhile");
                cut = !trickle(s, out);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(cut, "the trickling connection was still open after " + seconds + " s");
            assertTrue(seconds < QUICK.headerDeadline().toSeconds() + 3, "cut off after " + seconds + " s");
        }
        assertEquals(200, honest());
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        String big = "x".repeat(QUICK.maxHeaderBytes() + 1);
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 431", status);
        }
    }

    @Test
    void connectionsBeyondTheCapWaitUntilSlowOnesAreCut() throws Exception {
        List<Socket> hogs = new ArrayList<>();
        try {
            for (int i = 0; i < QUICK.maxConnections(); i++) {
                Socket s = new Socket("127.0.0.1", http.port());
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                hogs.add(s);
            }
            assertEquals(-1, honest(800), "at the cap the server accepts no further connection");
            assertTrue(TestNodes.eventually(10, () -> {
                try {
                    return honest() == 200;
                } catch (IOException e) {
                    return false;
                }
            }), "once the header deadline has cut the idle connections, the server accepts again");
        } finally {
            for (Socket s : hogs) s.close();
        }
    }

    /** Sends one more header byte; false once the server has closed the connection. */
    private static boolean trickle(Socket s, OutputStream out) throws IOException {
        try {
            out.write('a');
            out.flush();
        } catch (IOException e) {
            return false;
        }
        InputStream in = s.getInputStream();
        try {
            return in.read() != -1;
        } catch (SocketTimeoutException e) {
            return true; // nothing to read: still open
        } catch (IOException e) {
            return false;
        }
    }

    /** A complete request on a fresh connection, as an honest client sends it; the status code. */
    private static int honest() throws IOException {
        return honest(1500);
    }

    private static int honest(int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String line = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }
}
