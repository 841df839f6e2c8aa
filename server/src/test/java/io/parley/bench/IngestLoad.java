package io.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.federation.PeerRateLimits;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.node.Throttling;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Load tool (not JMH): verified ingest of peers' envelopes, end to end, on one real node on loopback.
 *
 * <p>{@code ./parley bench IngestLoad <sqlite|postgresql> <N> [senders] [channels] [batch]} (defaults 4 senders, 2
 * channels, batches of 200 as a peer's outbox sends them). The node (its database a fresh SQLite file with {@code synchronous=FULL}, or an embedded
 * PostgreSQL with fsync and synchronous commit on) holds channels whose other members are bare sender keys; each
 * sender has signed every charter through the inbox. Then N envelopes are signed beforehand, spread over every
 * sender's chain in every channel, and each sender posts its own in batches to {@code /federation/v1/inbox}, all
 * senders at once, each waiting for the answer (with receipts) before sending its next batch, as a peer's outbox does.
 * The clock runs from the first post until every envelope is answered {@code accepted} and the node's signed
 * checkpoint covers all of them: parse, signature, chain, acceptance, store, log queue, durable commit, sequencing.
 *
 * <p>In the same process and run, the raw single-thread Bouncy Castle Ed25519 verify rate is measured on the same
 * message sizes, so the result reads as a fraction of what verifying alone would allow on this machine. The last line
 * of output is {@code RESULT {"backend": ..., "envelopes": N, "per_second": X, "raw_verify_per_second": Y, ...}}.
 * Traffic goes to 127.0.0.1 only.
 */
public final class IngestLoad {
    static final String NODE = "cert-a.example";

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: IngestLoad <sqlite|postgresql> <N> [senders=4] [channels=2] [batch=200] [--taxii M]");
            System.exit(2);
        }
        // --taxii M: M objects in the node's TAXII collection beforehand, and one reader paging through them during the run
        int taxii = TaxiiLoad.intOpt(args, "--taxii", 0);
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) i++;
            else positional.add(args[i]);
        }
        String backend = positional.get(0);
        int n = Integer.parseInt(positional.get(1));
        int senders = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 4;
        int channelCount = positional.size() > 3 ? Integer.parseInt(positional.get(3)) : 2;
        int batch = positional.size() > 4 ? Integer.parseInt(positional.get(4)) : 200;
        if (!backend.equals("sqlite") && !backend.equals("postgresql")) throw new IllegalArgumentException("backend must be sqlite or postgresql");
        Path root = Files.createTempDirectory("parley-ingestload-");
        EmbeddedPostgres pg = null;
        NodeServer node = null;
        int exit = 0;
        ObjectNode result = null;
        try {
            String jdbc = null;
            if (backend.equals("postgresql")) {
                // zonky starts postgres with -F (fsync off) and synchronous_commit=off; -c options come after -F and win
                pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE parley_ingest");
                }
                jdbc = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/parley_ingest?user=postgres";
            }
            // The flood is the point: the per-peer rate limit is raised out of the way (it is measured elsewhere).
            Throttling unthrottled = new Throttling(Throttling.DEFAULT.signIn(), new PeerRateLimits.Settings(100_000_000, 100_000_000, 10_000));
            node = TestNodes.start(root, NODE, jdbc, Clock.systemUTC(), 0, cfg -> cfg.withThrottling(unthrottled));
            if (!node.baseUrl().startsWith("http://127.0.0.1:")) throw new IllegalStateException("refusing non-loopback " + node.baseUrl());
            List<SigningKey> keys = new ArrayList<>();
            for (int i = 1; i <= senders; i++) keys.add(SigningKey.generate("cert-s" + i + ".example"));
            List<Charter> channels = new ArrayList<>();
            for (int c = 1; c <= channelCount; c++) channels.add(establish(node, "ingest-" + c, keys));
            List<List<Envelope>> perSender = sign(keys, channels, n);
            double raw = rawVerifyPerSecond(perSender);
            System.out.printf("raw single-thread Bouncy Castle Ed25519 verify: %.0f/s%n", raw);
            TaxiiReader reader = taxii > 0 ? TaxiiReader.seed(node, taxii) : null;
            long before = node.node().envelopes().count();
            long logBefore = node.node().log().latest().map(io.parley.transparency.StoredCheckpoint::size).orElse(0L);
            long t0 = System.nanoTime();
            long[] answered = feed(node, perSender, batch);
            long expectedLog = logBefore + n;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (node.node().log().latest().map(io.parley.transparency.StoredCheckpoint::size).orElse(0L) < expectedLog) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the log never covered every envelope");
                Thread.onSpinWait();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] taxiiMs = reader == null ? null : reader.stop();
            long stored = node.node().envelopes().count() - before;
            if (answered[0] != n || stored != n) throw new IllegalStateException("accepted " + answered[0] + ", stored " + stored + " of " + n);
            double perSecond = n / seconds;
            System.out.printf("%s: %d envelopes from %d senders in %d channels, batches of %d: %.2f s, %.0f/s (%.2f x raw verify), %d answers without receipt%n",
                    backend, n, senders, channelCount, batch, seconds, perSecond, perSecond / raw, answered[1]);
            result = Json.object().put("backend", backend).put("envelopes", n).put("per_second", Math.round(perSecond))
                    .put("raw_verify_per_second", Math.round(raw)).put("ratio", Math.round(perSecond / raw * 100) / 100.0)
                    .put("seconds", Math.round(seconds * 100) / 100.0).put("senders", senders).put("channels", channelCount).put("batch", batch)
                    .put("cores", Runtime.getRuntime().availableProcessors())
                    .put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (taxiiMs != null) {
                System.out.printf("TAXII page of 100 from %d objects during the ingest: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        taxii, (long) taxiiMs[3], taxiiMs[0], taxiiMs[1], taxiiMs[2]);
                result.put("taxii_objects", taxii).put("taxii_requests", (long) taxiiMs[3]).put("taxii_p50_ms", taxiiMs[0]).put("taxii_p99_ms", taxiiMs[1]);
            }
        } catch (Exception e) {
            System.err.println("IngestLoad failed: " + e);
            exit = 1;
        } finally {
            if (node != null) node.close();
            if (pg != null) pg.close();
            FederationLoad.deleteQuietly(root);
        }
        // last, after everything closed, so no log line can follow it
        if (result != null) System.out.println("RESULT " + Json.write(result));
        System.out.flush();
        System.exit(exit); // Hikari's and embedded PostgreSQL's threads
    }

    /** One TAXII client paging through the node's own collection (random added_after, limit 100) until stopped. */
    static final class TaxiiReader {
        private final Thread thread;
        private final List<Long> took = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean stopped;

        private TaxiiReader(NodeServer node, String coll, long first, long last) {
            String base = node.baseUrl() + "/taxii2/api/collections/" + coll + "/objects/?limit=100";
            String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((TestNodes.USER + ":" + TestNodes.PASSWORD)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            TaxiiLoad.RandomAfter client = new TaxiiLoad.RandomAfter(base, first, last);
            thread = Thread.ofPlatform().start(() -> {
                try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                    while (!stopped) {
                        HttpRequest req = HttpRequest.newBuilder(URI.create(client.nextUrl())).header("Accept", TaxiiLoad.TAXII)
                                .header("Authorization", auth).GET().build();
                        long s = System.nanoTime();
                        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (res.statusCode() != 200) throw new IllegalStateException("TAXII answered " + res.statusCode());
                        took.add(System.nanoTime() - s);
                    }
                } catch (Exception e) {
                    if (!stopped) throw new IllegalStateException(e);
                }
            });
        }

        /** Fills the node's own collection with {@code count} indicators (as TaxiiLoad does) and starts reading. */
        static TaxiiReader seed(NodeServer node, int count) {
            io.parley.taxii.TaxiiStore store = new io.parley.taxii.TaxiiStore(node.node().db());
            String coll = io.parley.taxii.CollectionIds.own(node.node().origin());
            for (int i = 0; i < count; i += 10_000) {
                List<io.parley.taxii.TaxiiStore.NewObject> rows = new ArrayList<>();
                for (int j = i; j < Math.min(count, i + 10_000); j++) rows.add(TaxiiLoad.object(j));
                store.insert(coll, rows, Instant.now());
            }
            long first = node.node().db().queryOne("SELECT MIN(date_added) FROM stix_objects WHERE collection = ?", rs -> rs.getLong(1), coll).orElseThrow();
            long last = node.node().db().queryOne("SELECT MAX(date_added) FROM stix_objects WHERE collection = ?", rs -> rs.getLong(1), coll).orElseThrow();
            return new TaxiiReader(node, coll, first, last);
        }

        /** Stops reading; {p50, p99, max} in ms and the number of requests. */
        double[] stop() throws InterruptedException {
            stopped = true;
            thread.join();
            long[] sorted = took.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) return new double[] {0, 0, 0, 0};
            return new double[] {TaxiiLoad.pct(sorted, 0.50), TaxiiLoad.pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length};
        }
    }

    /** Proposes a channel of the node and every sender at the node, has each sender sign it through the inbox. */
    static Charter establish(NodeServer node, String id, List<SigningKey> senders) throws Exception {
        for (SigningKey k : senders) TestNodes.know(node, k);
        List<Charter.Member> members = new ArrayList<>();
        members.add(new Charter.Member(NODE, node.node().key().verifierKey(), node.baseUrl()));
        for (SigningKey k : senders) members.add(new Charter.Member(k.name(), k.verifierKey(), "http://127.0.0.1:9"));
        members.sort(java.util.Comparator.comparing(Charter.Member::origin));
        Charter template = Fixtures.charter(id, Tlp.AMBER, senders.toArray(SigningKey[]::new));
        Charter charter = new Charter(id, "ingest load", template.level(), members, template.deadlines(), Tlp.AMBER, List.of());
        var res = TestNodes.post(node, "/api/v1/channels", Json.write(charter.toJson()));
        if (res.statusCode() != 201) throw new IllegalStateException("propose: " + res.body());
        for (SigningKey k : senders) {
            var sign = TestNodes.post(node, "/federation/v1/inbox", Json.write(Fixtures.signCharter(k, charter, 1, null).toJson()));
            if (sign.statusCode() != 201) throw new IllegalStateException("sign: " + sign.body());
        }
        if (!TestNodes.eventually(20, () -> node.node().charters().active(id))) throw new IllegalStateException(id + " never became active");
        return charter;
    }

    /** N envelopes, dealt round-robin over every (sender, channel) chain after its charter signature, per sender. */
    static List<List<Envelope>> sign(List<SigningKey> keys, List<Charter> channels, int n) {
        List<List<Envelope>> out = new ArrayList<>();
        for (int s = 0; s < keys.size(); s++) out.add(new ArrayList<>());
        Map<String, Envelope> heads = new java.util.HashMap<>();
        Map<String, Long> seqs = new java.util.HashMap<>();
        String created = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        for (int i = 0; i < n; i++) {
            int s = i % keys.size();
            Charter charter = channels.get((i / keys.size()) % channels.size());
            String channel = charter.channel();
            SigningKey key = keys.get(s);
            String chain = channel + "/" + key.name();
            long seq = seqs.merge(chain, 1L, Long::sum) + 1; // seq 1 is the sender's charter signature
            Envelope prev = heads.get(chain);
            String prevHash = prev != null ? prev.hash() : Fixtures.signCharter(key, charter, 1, null).hash();
            ObjectNode body = Json.object().put("lang", "en").put("text", "Scanning from 203.0.113." + (i % 250)
                    + " against the ministry's mail gateway since 02:10 UTC; blocked at the perimeter, please confirm whether the source is"
                    + " known to you and whether you see the same pattern. Message " + i + " of the ingest load.");
            Envelope e = EnvelopeSigner.sign(new Envelope(Envelope.VERSION, channel, key.name(), seq, prevHash, Kind.NOTIFY, null, created,
                    Priority.URGENT, Tlp.AMBER, body, null), key);
            heads.put(chain, e);
            out.get(s).add(e);
        }
        return out;
    }

    /** Verifies the same messages' sizes with raw Bouncy Castle on one thread for about two seconds. */
    static double rawVerifyPerSecond(List<List<Envelope>> perSender) {
        Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        Ed25519PublicKeyParameters pub = priv.generatePublicKey();
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> sigs = new ArrayList<>();
        for (List<Envelope> l : perSender) {
            for (Envelope e : l.subList(0, Math.min(l.size(), 500))) {
                byte[] m = e.signingBytes();
                byte[] sig = new byte[64];
                priv.sign(Ed25519.Algorithm.Ed25519, null, m, 0, m.length, sig, 0);
                messages.add(m);
                sigs.add(sig);
            }
        }
        long ok = 0;
        long count = 0;
        long warm = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; System.nanoTime() < warm; i++) {
            byte[] m = messages.get(i % messages.size());
            if (pub.verify(Ed25519.Algorithm.Ed25519, null, m, 0, m.length, sigs.get(i % messages.size()), 0)) ok++;
        }
        long t0 = System.nanoTime();
        long end = t0 + 2_000_000_000L;
        long now;
        for (int i = 0; (now = System.nanoTime()) < end; i++, count++) {
            byte[] m = messages.get(i % messages.size());
            if (pub.verify(Ed25519.Algorithm.Ed25519, null, m, 0, m.length, sigs.get(i % messages.size()), 0)) ok++;
        }
        if (ok == 0) throw new IllegalStateException("raw verify failed");
        return count / ((now - t0) / 1e9);
    }

    /**
     * Each sender posts its envelopes in batches, in chain order, all senders at once; returns {accepted, answers
     * without a receipt}.
     */
    static long[] feed(NodeServer node, List<List<Envelope>> perSender, int batch) throws Exception {
        URI inbox = URI.create(node.baseUrl() + "/federation/v1/inbox");
        AtomicLong accepted = new AtomicLong();
        AtomicLong pending = new AtomicLong();
        List<List<byte[]>> bodies = new ArrayList<>();
        for (List<Envelope> l : perSender) {
            List<byte[]> posts = new ArrayList<>();
            for (int i = 0; i < l.size(); i += batch) {
                ArrayNode items = Json.MAPPER.createArrayNode();
                for (Envelope e : l.subList(i, Math.min(l.size(), i + batch))) items.add(e.toJson());
                ObjectNode post = Json.object();
                post.set("envelopes", items);
                posts.add(Json.write(post).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            bodies.add(posts);
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(perSender.size());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<Future<?>> done = new ArrayList<>();
            for (List<byte[]> posts : bodies) {
                done.add(pool.submit(() -> {
                    for (byte[] body : posts) {
                        HttpRequest req = HttpRequest.newBuilder(inbox).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() != 200) throw new IllegalStateException("inbox answered " + res.statusCode() + ": " + res.body());
                        for (JsonNode r : Json.parse(res.body()).path("results")) {
                            if (!r.path("status").asText().equals("accepted")) throw new IllegalStateException("not accepted: " + r);
                            accepted.incrementAndGet();
                            if (!r.has("receipt")) pending.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        return new long[] {accepted.get(), pending.get()};
    }
}
