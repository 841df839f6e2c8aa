package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.WithheldNotice;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.store.ChainHead;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/**
 * Catch-up by pages (issue 15): a member's chain pulled in pages, each judged as one batch while the next is fetched.
 * The source here is a stand-in member that serves {@code cert-src.example}'s chain, signed with its key, from a list,
 * in pages of the size a test chooses, and can break off, forge or bloat a page; the puller is a real node, whose
 * catch-up worker pulls on its own (every second in tests), so what it does after a failure is what it does live.
 */
class CatchUpPagesTest {
    static final String CH = "pages";
    static final String SRC = "cert-src.example";
    static final String OTHER = "cert-other.example";

    @TempDir Path tmp;
    final SigningKey src = SigningKey.generate(SRC);
    final SigningKey other = SigningKey.generate(OTHER);
    final ChainSource source;
    NodeServer b;

    CatchUpPagesTest() throws IOException {
        source = new ChainSource();
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        source.close();
    }

    @Test
    void thousandsOfEnvelopesArriveAcrossPagesEachOnceAndInOrder() throws Exception {
        source.pageSize = 700; // pages end where the source's size says, not where the puller asks
        Envelope sign = start();
        List<Envelope> chain = chain(sign, 3_000);
        source.probe = this::head;
        source.serve(chain);
        assertTrue(TestNodes.eventually(120, () -> head() == 3_001), "head " + head());
        assertChainIs(sign, chain);
        // each page after the one before it, never a page twice while nothing failed
        assertEquals(List.of(1L, 701L, 1401L, 2101L, 2801L), source.asked().subList(0, 5));
        assertTrue(source.probed.get(1) < 701, "the second page was asked for while the first was judged (head then " + source.probed.get(1) + ")");
        assertLoggedOnce(chain);
    }

    @Test
    void sourceDyingMidPageIsResumedAfterTheCommittedHead() throws Exception {
        source.pageSize = 1000;
        source.cutRequest = 1; // the second page breaks off halfway through its body
        Envelope sign = start();
        List<Envelope> chain = chain(sign, 2_500);
        source.serve(chain);
        assertTrue(TestNodes.eventually(120, () -> head() == 2_501), "head " + head());
        assertChainIs(sign, chain);
        List<Long> asked = source.asked();
        assertEquals(1001L, asked.get(1), "the page fetched while the first was judged");
        assertEquals(1001L, asked.get(2), "the next pull asks after what the first page committed, not after the page that broke");
        assertLoggedOnce(chain);
    }

    @Test
    void nodeClosedMidCatchUpKeepsWhatItCommittedAndFinishesAfterRestart() throws Exception {
        source.pageSize = 300;
        source.delayMs = 300; // slow enough to close the node between pages
        Envelope sign = start();
        List<Envelope> chain = chain(sign, 3_000);
        source.serve(chain);
        assertTrue(TestNodes.eventually(60, () -> head() > 300), "head " + head());
        int port = b.port();
        b.close();
        b = null;
        int askedBefore = source.asked().size();
        b = TestNodes.start(tmp, "cert-b.example", null, Clock.systemUTC(), port);
        long resumedAt = head();
        assertTrue(resumedAt > 1 && resumedAt < 3_001, "kept what it committed before closing, and stopped pulling: head " + resumedAt);
        source.delayMs = 0;
        assertTrue(TestNodes.eventually(120, () -> head() == 3_001), "head " + head());
        assertChainIs(sign, chain);
        long firstAfterRestart = source.asked().get(askedBefore);
        assertTrue(firstAfterRestart > 1 && firstAfterRestart <= resumedAt,
                "the first pull after the restart asks after the head it committed before (" + firstAfterRestart + ", head " + resumedAt + ")");
        assertLoggedOnce(chain);
    }

    @Test
    void forgedEnvelopeInAPageKeepsWhatCameBeforeAndNothingAfter() throws Exception {
        Envelope sign = start();
        List<Envelope> chain = chain(sign, 1_500);
        List<String> items = texts(chain);
        // seq 602 with its text changed after signing: its signature no longer verifies
        var forged = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(items.get(600));
        ((com.fasterxml.jackson.databind.node.ObjectNode) forged.get("body")).put("text", "forged");
        items.set(600, Json.write(forged));
        source.serveTexts(items);
        assertTrue(TestNodes.eventually(60, () -> head() == 601), "head " + head());
        assertTrue(TestNodes.eventually(60, () -> source.asked().stream().filter(a -> a == 601L).count() >= 2), "pulled again after the refusal");
        assertEquals(601, head(), "nothing after the forged envelope");
        assertEquals(0L, count("SELECT COUNT(*) FROM envelopes WHERE channel = ? AND sender = ? AND seq > 601", CH, SRC));
        assertTrue(count("SELECT COUNT(*) FROM rejections WHERE sender = ? AND seq = 602 AND code = 'bad-signature'", SRC) >= 1,
                "the forged envelope's refusal is recorded");
        assertChainIs(sign, chain.subList(0, 600));
    }

    @Test
    void withheldNoticeInAPageIsLinkedInItsPlace() throws Exception {
        Envelope sign = start();
        List<Envelope> before = chain(sign, 499); // seq 2..500
        Envelope red = EnvelopeSigner.sign(new Envelope(1, CH, SRC, 501, before.getLast().hash(), Kind.NOTIFY, null, "2026-11-23T10:00:00Z",
                Priority.URGENT, Tlp.RED, Json.object().put("text", "for cert-other only").put("lang", "en").set("recipients",
                        Json.MAPPER.createArrayNode().add(OTHER)), null), src);
        WithheldNotice notice = WithheldNotice.of(red, red.hash(), Set.of(OTHER)).sign(src);
        List<Envelope> after = chain(red, 700); // seq 502..1201
        List<String> items = texts(before);
        items.add(Json.write(notice.toJson()));
        items.addAll(texts(after));
        source.serveTexts(items);
        assertTrue(TestNodes.eventually(60, () -> head() == 1_201), "head " + head());
        var link = b.node().envelopes().link(CH, SRC, 501).orElseThrow();
        assertTrue(link.withheld(), "seq 501 is the notice's placeholder");
        assertEquals(red.hash(), link.hash());
        assertTrue(b.node().envelopes().byHash(after.getFirst().hash()).isPresent(), "the envelope after the notice");
        assertFalse(Json.write(Json.parse(b.node().envelopes().link(CH, SRC, 501).orElseThrow().canonical())).contains("for cert-other only"));
    }

    @Test
    void pageLargerThanTheCapIsNotReadAndStoresNothing() throws Exception {
        Envelope sign = start();
        List<Envelope> chain = chain(sign, 5);
        // a page of envelopes eight times the byte cap: the first five real ones, then padding in a string
        String huge = "{\"envelopes\":[" + String.join(",", texts(chain)) + ",\"" + "x".repeat(8 * PeerClient.Page.MAX_BYTES) + "\"],\"more\":false}";
        source.hostile = huge;
        PeerClient client = new PeerClient(b.node().key(), Clock.systemUTC(), Duration.ofSeconds(10));
        IOException e = assertThrows(IOException.class, () -> client.catchUp(source.url(), CH, SRC, 1, PeerClient.Page.MAX_ITEMS));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        assertTrue(TestNodes.eventually(10, () -> source.mostSent.get() > 0));
        assertTrue(source.mostSent.get() < 3L * PeerClient.Page.MAX_BYTES, "the reader took " + source.mostSent.get() + " bytes of an oversized page");
        // more items than asked for, each small: refused too
        source.hostile = "{\"envelopes\":[" + "{},".repeat(10) + "{}],\"more\":true}";
        IOException many = assertThrows(IOException.class, () -> client.catchUp(source.url(), CH, SRC, 1, 10));
        assertTrue(many.getMessage().contains("more than the 10 asked for"), many.getMessage());
        // the node's own catch-up, fed the same oversized page, stores nothing of it
        source.hostile = huge;
        source.serve(chain);
        long asked = source.asked().size();
        assertTrue(TestNodes.eventually(30, () -> source.asked().size() >= asked + 2), "the node pulled");
        assertEquals(1, head(), "nothing of an oversized page is judged");
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** B with channel {@value #CH} (B, other, src) active, src's card pointing at the source; src's signature is seq 1. */
    Envelope start() throws Exception {
        b = TestNodes.start(tmp, "cert-b.example");
        know(src, source.url());
        know(other, "http://127.0.0.1:9");
        Charter charter = Fixtures.charter(CH, Tlp.RED, b.node().key(), other, src);
        var res = TestNodes.post(b, "/api/v1/channels", Json.write(charter.toJson()));
        assertEquals(201, res.statusCode(), res.body());
        for (SigningKey k : List.of(other, src)) {
            var signed = TestNodes.post(b, "/federation/v1/inbox", Json.write(Fixtures.signCharter(k, charter, 1, null).toJson()));
            assertEquals(201, signed.statusCode(), signed.body());
        }
        assertTrue(TestNodes.eventually(10, () -> b.node().charters().active(CH)));
        return b.node().envelopes().link(CH, SRC, 1).map(l -> Envelope.fromJson(Json.parse(l.canonical()))).orElseThrow();
    }

    void know(SigningKey key, String url) {
        var card = Fixtures.card(key, url);
        b.node().parties().put(card.origin(), card.verifierKey().encoded(), card.fingerprint(), Json.write(card.toJson()), b.node().now());
    }

    /** {@code n} envelopes of src's chain after {@code prev}. */
    List<Envelope> chain(Envelope prev, int n) {
        List<Envelope> out = new ArrayList<>(n);
        long seq = prev.seq();
        String hash = prev.hash();
        for (int i = 0; i < n; i++) {
            Envelope e = Fixtures.envelope(src, CH, ++seq, hash, Tlp.AMBER, "catch-up " + seq);
            out.add(e);
            hash = e.hash();
        }
        return out;
    }

    static List<String> texts(List<Envelope> chain) {
        List<String> out = new ArrayList<>();
        for (Envelope e : chain) out.add(new String(e.canonicalBytes(), StandardCharsets.UTF_8));
        return out;
    }

    long head() {
        NodeServer n = b;
        return n == null ? -1 : n.node().envelopes().head(CH, SRC).map(ChainHead::seq).orElse(0L);
    }

    long count(String sql, Object... args) {
        return b.node().db().queryOne(sql, rs -> rs.getLong(1), args).orElse(-1L);
    }

    /** B holds src's chain as {@code sign} then {@code chain}: every seq once, each the envelope signed for it. */
    void assertChainIs(Envelope sign, List<Envelope> chain) {
        List<String> held = b.node().db().query("SELECT hash FROM envelopes WHERE channel = ? AND sender = ? AND seq <= ? ORDER BY seq",
                rs -> rs.getString(1), CH, SRC, chain.getLast().seq());
        List<String> expected = new ArrayList<>(List.of(sign.hash()));
        chain.forEach(e -> expected.add(e.hash()));
        assertEquals(expected, held);
    }

    /** Each envelope of {@code chain} is in B's transparency log exactly once. */
    void assertLoggedOnce(List<Envelope> chain) throws InterruptedException {
        assertTrue(TestNodes.eventually(60, () -> b.node().log().store().queueLength() == 0), "the log took the queue");
        Map<String, Long> logged = new HashMap<>();
        b.node().db().query("SELECT ref, COUNT(*) FROM log_entries GROUP BY ref", rs -> logged.put(rs.getString(1), rs.getLong(2)));
        for (Envelope e : chain) assertEquals(1L, logged.getOrDefault(e.hash(), 0L), "log entries of seq " + e.seq());
    }

    /** A member serving src's chain ({@code items}, the first at seq 2) as catch-up pages, as a test tells it. */
    static final class ChainSource implements AutoCloseable {
        final HttpServer server;
        volatile List<String> items = List.of();
        volatile int pageSize = 1000;
        /** The request (counting from 0) whose answer breaks off halfway through its body; -1 for none. */
        volatile int cutRequest = -1;
        volatile long delayMs;
        /** Served to every request instead of a page, when set. */
        volatile String hostile;
        final List<Long> asked = new CopyOnWriteArrayList<>();
        /** What {@link #probe} said as each request of {@link #asked} arrived. */
        final List<Long> probed = new CopyOnWriteArrayList<>();
        volatile java.util.function.LongSupplier probe = () -> -1;
        /** The most bytes one answer got out before the reader hung up (or all of it). */
        final AtomicLong mostSent = new AtomicLong();

        ChainSource() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/federation/v1/channels/", this::handle);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void serve(List<Envelope> chain) {
            serveTexts(texts(chain));
        }

        /** Serves {@code texts} from now on; {@link #asked} then counts only the requests answered from them. */
        synchronized void serveTexts(List<String> texts) {
            items = List.copyOf(texts);
            asked.clear();
            probed.clear();
        }

        List<Long> asked() {
            return List.copyOf(asked);
        }

        private void handle(HttpExchange ex) throws IOException {
            Map<String, String> q = new HashMap<>();
            for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
            if (!q.get("from").equals(SRC)) {
                send(ex, "{\"envelopes\":[],\"more\":false}".getBytes(StandardCharsets.UTF_8), false);
                return;
            }
            long after = Long.parseLong(q.get("after"));
            int request;
            List<String> all;
            synchronized (this) {
                request = asked.size();
                asked.add(after);
                probed.add(probe.getAsLong());
                all = items;
            }
            try {
                if (delayMs > 0) Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (hostile != null) {
                send(ex, hostile.getBytes(StandardCharsets.UTF_8), false);
                return;
            }
            int from = (int) Math.max(0, after - 1); // items[0] is seq 2
            int to = Math.min(all.size(), from + Math.min(pageSize, Integer.parseInt(q.get("limit"))));
            String body = "{\"envelopes\":[" + String.join(",", all.subList(Math.min(from, all.size()), to)) + "],\"more\":" + (to < all.size()) + "}";
            send(ex, body.getBytes(StandardCharsets.UTF_8), request == cutRequest);
        }

        private void send(HttpExchange ex, byte[] body, boolean cut) throws IOException {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            long sent = 0;
            try (OutputStream out = ex.getResponseBody()) {
                int n = cut ? body.length / 2 : body.length;
                for (int at = 0; at < n; at += 65_536) {
                    int len = Math.min(65_536, n - at);
                    out.write(body, at, len);
                    sent += len;
                    mostSent.accumulateAndGet(sent, Math::max);
                }
                if (cut) {
                    out.flush();
                    throw new IOException("breaking off the page on purpose");
                }
            } catch (IOException e) {
                // the client hung up (an oversized page) or we broke off: both are what the test wants
            } finally {
                if (cut) ex.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
