package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.Passwords;
import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.federation.Federation;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.receipt.ReceiptVerifier;
import io.parley.server.NodeServer;
import io.parley.store.ChainHead;
import io.parley.store.Database;
import io.parley.store.LogQueue;
import io.parley.store.OutboxStore;
import io.parley.testing.TestNodes;

/**
 * Load tool (not JMH): federation between two real nodes on loopback, each with its own SQLite database (WAL,
 * {@code synchronous=FULL}) in a fresh temp directory, talking HTTP to 127.0.0.1 only. Every scenario starts a fresh
 * pair A ({@code cert-a.example}) and B ({@code cert-b.example}), peers them both ways, proposes the channel
 * {@code bench} at A through the API, signs it at B through the API, and waits until it is active at both and the
 * charter envelopes are delivered.
 *
 * <ol>
 * <li><b>latency</b>: A composes one envelope at a time (through {@link Composer} directly, or {@code --via api}
 * through {@code POST /api/v1/channels/bench/messages}); the time from the call to the moment A's outbox row for B is
 * {@code delivered} with a receipt (the DeliveryWorker stores it only after the receipt verified under B's log key),
 * found by polling {@link OutboxStore#forEnvelope} every {@code --poll-us} µs. After {@code --warmup} unmeasured
 * envelopes, {@code --n} are measured, with {@code --gap-ms} of idle time between them. Afterwards every measured
 * receipt is verified again here, and the time is split with the rows' own millisecond stamps into "A stored → B
 * stored" and "B stored → delivered at A".</li>
 * <li><b>inbox</b>: recipient-side receipt latency. Envelopes of B's chain are pre-signed with B's key (B itself
 * never stores them) and POSTed one at a time to A's {@code /federation/v1/inbox} by a plain HTTP/1.1 client; timed
 * from send to the complete {@code 201} answer carrying a receipt. Receipts are verified afterwards under A's key.</li>
 * <li><b>throughput</b>: A composes {@code --throughput-n} envelopes from {@code --writers} threads at once (default
 * 8, as API clients and the node's workers do; the Composer group-commits what piles up behind the channel) while B
 * receives. Reports compose rate and envelopes/s from the first compose to the
 * last outbox row delivered with receipt (its {@code delivered_at}), the number of POSTs from A's
 * {@code delivery_attempts} rows for B, retries, and B's rejections by code.</li>
 * <li><b>catchup</b>: B is stopped (its NodeServer closed); A composes {@code --catchup-n} envelopes (the compose
 * phase is bounded by {@code --compose-seconds}; whatever was composed by then is the workload). With
 * {@code --seed bulk} (the default) the envelopes are instead signed with A's key here and written 1,000 per
 * transaction with the rows {@code EnvelopeStore.insert} writes (envelope, log queue entry, outbox row for B),
 * bypassing the acceptor: a quick way to the full size when composing one by one is too slow. The default
 * {@code --catchup-n} is 20,000, a run of a few minutes; the issue-15 goal is stated for {@code --catchup-n 100000}.
 * Then B is restarted on the same directory and port; timed until B's head of A's chain is A's head, then until A's
 * outbox holds nothing queued for B (A pushes too, as in the real system).</li>
 * </ol>
 * Every wait has a deadline, and every scenario a hard timeout ({@code --timeout} seconds overrides the defaults:
 * latency 300, inbox 180, throughput 900, catchup 2400) after which its nodes are closed and it is reported as timed
 * out; a watchdog halts the JVM if the whole run overruns. Prints a table and writes a JSON summary to
 * {@code bench/results/federation-<time>.json} (relative to the working directory; override with
 * {@code -Dparley.bench.results=DIR}).
 *
 * <p>Run from the repository root after {@code bash bench/run -l} (or its mvn line) built target/bench:
 * <pre>
 * $JAVA_HOME/bin/java -cp "target/bench/test-classes:target/bench/classes:$(cat target/bench/classpath.txt)" \
 *     io.parley.bench.FederationLoad [all|latency|inbox|throughput|catchup ...] [--n 500] [--warmup 50] [--poll-us 200]
 *     [--gap-ms 10] [--via composer|api] [--throughput-n 20000] [--catchup-n 20000] [--compose-seconds 1200]
 *     [--seed bulk|composer] [--timeout S] [--settings fast|default] [--writers 8] [--keep]
 * </pre>
 * {@code --settings fast} (the default) is {@link TestNodes#FAST} (backoff 100 ms..2 s, catch-up every 1 s, request
 * timeout 3 s); {@code default} is {@link Federation.Settings#DEFAULT} (backoff 0.5..60 s, catch-up every 10 s).
 */
public final class FederationLoad {
    static final String A = "cert-a.example";
    static final String B = "cert-b.example";
    static final String CHANNEL = "bench";
    static final String PASSWORD_HASH = Passwords.hash(TestNodes.PASSWORD);

    record Options(List<String> scenarios, int n, int warmup, long pollNanos, int gapMs, boolean viaApi, int throughputN,
                   int catchupN, int composeSeconds, boolean bulkSeed, Integer timeoutS, String settingsName, boolean keep, int writers) {
        Federation.Settings settings() {
            return settingsName.equals("default") ? Federation.Settings.DEFAULT : TestNodes.FAST;
        }

        int timeout(String scenario) {
            if (timeoutS != null) return timeoutS;
            return switch (scenario) {
                case "latency" -> 300;
                case "inbox" -> 180;
                case "throughput" -> 900;
                default -> 2400;
            };
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        ObjectNode summary = Json.object();
        summary.put("tool", "io.parley.bench.FederationLoad");
        summary.put("started", Instant.now().toString());
        summary.put("java", System.getProperty("java.version"));
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        summary.put("args", String.join(" ", args));
        summary.put("settings", o.settingsName());
        summary.put("database", "sqlite (WAL, synchronous=FULL), one file per node in a temp dir");
        ObjectNode results = summary.putObject("scenarios");

        long budget = 0;
        for (String s : o.scenarios()) budget += o.timeout(s) + 60;
        startWatchdog(budget, summary);

        for (String s : o.scenarios()) {
            log("=== scenario " + s + " (hard timeout " + o.timeout(s) + " s) ===");
            results.set(s, runBounded(s, o));
            System.gc();
        }
        summary.put("finished", Instant.now().toString());
        printTable(results);
        Path file = write(summary);
        System.out.println("summary: " + file);
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------- scenarios

    /** Runs one scenario on its own thread and pair of nodes; closes the nodes when it overruns. */
    static ObjectNode runBounded(String scenario, Options o) {
        Holder holder = new Holder();
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fedload-" + scenario);
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        Future<ObjectNode> f = ex.submit(() -> {
            try (Pair p = new Pair(o.settings(), o.keep())) {
                holder.pair = p;
                long deadline = t0 + TimeUnit.SECONDS.toNanos(o.timeout(scenario));
                return switch (scenario) {
                    case "latency" -> latency(o, p, deadline);
                    case "inbox" -> inbox(o, p, deadline);
                    case "throughput" -> throughput(o, p, deadline);
                    case "catchup" -> catchup(o, p, deadline);
                    default -> throw new IllegalArgumentException(scenario);
                };
            }
        });
        ObjectNode out;
        try {
            out = f.get(o.timeout(scenario) + 30L, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            if (holder.pair != null) holder.pair.close();
            out = Json.object().put("status", "hard-timeout").put("detail", "did not finish within " + o.timeout(scenario) + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            log("scenario " + scenario + " failed: " + c);
            c.printStackTrace();
            out = Json.object().put("status", "error").put("detail", String.valueOf(c));
            if (c instanceof ScenarioTimeout st && st.partial != null) out.set("partial", st.partial);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out = Json.object().put("status", "interrupted");
        } finally {
            ex.shutdownNow();
        }
        out.put("wall_s", round((System.nanoTime() - t0) / 1e9, 1));
        return out;
    }

    static final class Holder {
        volatile Pair pair;
    }

    /** A wait ran past its deadline; carries what was measured so far. */
    static final class ScenarioTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ObjectNode partial;

        ScenarioTimeout(String message, ObjectNode partial) {
            super(message);
            this.partial = partial;
        }
    }

    /** 1. Compose → delivered with verified receipt at A, one envelope at a time. */
    static ObjectNode latency(Options o, Pair p, long deadline) throws Exception {
        NodeServer a = p.a;
        OutboxStore outbox = a.federation().outbox();
        int total = o.warmup() + o.n();
        long[] storedNs = new long[o.n()];
        long[] deliveredNs = new long[o.n()];
        String[] hashes = new String[o.n()];
        for (int i = 0; i < total; i++) {
            long t0 = System.nanoTime();
            String hash = o.viaApi() ? composeApi(a, "latency " + i) : composeDirect(a, "latency " + i);
            long t1 = System.nanoTime();
            long t2 = awaitDelivered(outbox, hash, o.pollNanos(), deadline, i);
            if (i >= o.warmup()) {
                int k = i - o.warmup();
                storedNs[k] = t1 - t0;
                deliveredNs[k] = t2 - t0;
                hashes[k] = hash;
            }
            if (o.gapMs() > 0) Thread.sleep(o.gapMs());
        }
        ObjectNode out = Json.object().put("status", "ok").put("via", o.viaApi() ? "api" : "composer")
                .put("warmup", o.warmup()).put("n", o.n()).put("poll_us", o.pollNanos() / 1000).put("gap_ms", o.gapMs());
        out.set("compose_ms", stats(storedNs));
        out.set("compose_to_delivered_ms", stats(deliveredNs));
        out.set("goal", Json.object().put("p50_ms", 20).put("p99_ms", 100));

        // Verify each receipt ourselves and split the time by the rows' own (millisecond) stamps.
        VerifierKey bKey = p.b.node().key().verifierKey();
        int verified = 0, retried = 0;
        long[] toB = new long[o.n()];
        long[] back = new long[o.n()];
        long[] firstAttempt = new long[o.n()];
        for (int k = 0; k < o.n(); k++) {
            OutboxStore.Status s = statusFor(outbox, hashes[k]).orElseThrow();
            if (s.attempts() > 1) retried++;
            else firstAttempt[k - retried] = deliveredNs[k];
            byte[] canonical = a.node().envelopes().byHash(hashes[k]).orElseThrow().envelope().canonicalBytes();
            ReceiptVerifier.verify(canonical, Json.parse(s.receipt()).path("tlog_proof").asText(), bKey, List.of(), 0);
            verified++;
            long aStored = receivedAt(a, hashes[k]);
            long bStored = receivedAt(p.b, hashes[k]);
            toB[k] = (bStored - aStored) * 1_000_000L;
            back[k] = (s.deliveredAt().toEpochMilli() - bStored) * 1_000_000L;
        }
        out.put("receipts_verified", verified).put("deliveries_with_more_than_one_attempt", retried);
        // A delivery needs a second POST when B answered "receipt_pending"; the worker retries that after 1 s.
        out.set("compose_to_delivered_ms_first_attempt_only", stats(Arrays.copyOf(firstAttempt, o.n() - retried)));
        ObjectNode split = out.putObject("split_ms_resolution_1ms");
        split.set("a_stored_to_b_stored", stats(toB));
        split.set("b_stored_to_delivered_at_a", stats(back));
        out.set("b_rejections", rejections(p.b));
        return out;
    }

    /** 1b. Recipient side: one pre-signed envelope of B's chain POSTed to A's inbox, until the 201 with receipt. */
    static ObjectNode inbox(Options o, Pair p, long deadline) throws Exception {
        var key = p.b.node().key();
        ChainHead headAtA = p.a.node().envelopes().head(CHANNEL, B).orElseThrow(() -> new IllegalStateException("A holds none of B's chain"));
        int total = o.warmup() + o.n();
        List<Envelope> envs = new ArrayList<>(total);
        long seq = headAtA.seq();
        String prev = headAtA.hash();
        for (int i = 0; i < total; i++) {
            Envelope draft = new Envelope(Envelope.VERSION, CHANNEL, B, ++seq, prev, Kind.NOTIFY, null,
                    Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(), Priority.URGENT, Tlp.AMBER,
                    body("inbox " + i), null);
            Envelope signed = EnvelopeSigner.sign(draft, key);
            envs.add(signed);
            prev = signed.hash();
        }
        List<String> bodies = envs.stream().map(e -> Json.write(e.toJson())).toList();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(p.a.baseUrl() + "/federation/v1/inbox");
        requireLoopback(uri.toString());
        long[] ns = new long[o.n()];
        String[] receipts = new String[o.n()];
        int pending = 0;
        for (int i = 0; i < total; i++) {
            if (System.nanoTime() > deadline) throw new ScenarioTimeout("inbox: deadline after " + i + " posts", null);
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
            long t0 = System.nanoTime();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (res.statusCode() != 201) throw new IllegalStateException("inbox answered " + res.statusCode() + " for #" + i + ": " + res.body());
            JsonNode r = Json.parse(res.body());
            if (!r.has("receipt")) {
                // The node says "receipt_pending": it stored the envelope but could not show it in a checkpoint yet.
                pending++;
                log("inbox answer #" + i + " has no receipt after " + (t1 - t0) / 1_000_000 + " ms: " + res.body());
            }
            if (i >= o.warmup()) {
                ns[i - o.warmup()] = t1 - t0;
                receipts[i - o.warmup()] = r.has("receipt") ? r.path("receipt").path("tlog_proof").asText() : null;
            }
            if (o.gapMs() > 0) Thread.sleep(o.gapMs());
        }
        VerifierKey aKey = p.a.node().key().verifierKey();
        int verified = 0;
        for (int k = 0; k < o.n(); k++) {
            if (receipts[k] == null) continue;
            ReceiptVerifier.verify(envs.get(o.warmup() + k).canonicalBytes(), receipts[k], aKey, List.of(), 0);
            verified++;
        }
        ObjectNode out = Json.object().put("status", "ok").put("answers_without_receipt", pending).put("warmup", o.warmup()).put("n", o.n()).put("gap_ms", o.gapMs())
                .put("client", "java.net.http HTTP/1.1 keep-alive");
        out.set("post_to_201_with_receipt_ms", stats(ns));
        out.put("receipts_verified", verified);
        return out;
    }

    /** 2. Batched delivery: compose N as fast as possible while B receives. */
    static ObjectNode throughput(Options o, Pair p, long deadline) throws Exception {
        NodeServer a = p.a, b = p.b;
        int n = o.throughputN();
        long baseDelivered = a.federation().outbox().count(B, "delivered");
        long baseHead = headSeq(a, A);
        long maxOutboxId = queryLong(a, "SELECT COALESCE(MAX(id), 0) FROM outbox");
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        AtomicLong composed = new AtomicLong();
        Monitor m = new Monitor(t0, composed, () -> a.federation().outbox().count(B, "delivered") - baseDelivered,
                () -> headSeq(b, A) - baseHead, n);
        m.start();
        long[] composeNs = new long[n];
        // how many of our envelopes each transaction stored: what the group commit made of the writers
        java.util.concurrent.atomic.LongAdder groups = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAccumulator largestGroup = new java.util.concurrent.atomic.LongAccumulator(Math::max, 0);
        a.node().onAcceptedBatch(stored -> {
            if (!stored.getFirst().envelope().from().equals(A)) return;
            groups.increment();
            largestGroup.accumulate(stored.size());
        });
        // --writers callers compose at once, as API clients and the node's own workers do: the Composer group-commits
        // what piles up behind the channel
        AtomicLong next = new AtomicLong();
        try (ExecutorService writers = Executors.newFixedThreadPool(o.writers())) {
            for (int w = 0; w < o.writers(); w++) {
                writers.submit(() -> {
                    for (long i; (i = next.getAndIncrement()) < n; ) {
                        long s0 = System.nanoTime();
                        if (s0 > deadline) break;
                        composeDirect(a, "throughput " + i);
                        composeNs[(int) i] = System.nanoTime() - s0;
                        composed.incrementAndGet();
                    }
                });
            }
        }
        long tComposed = System.nanoTime();
        long target = composed.get();
        m.target = target;
        boolean done = m.awaitDone(deadline);
        m.stop();

        ObjectNode out = Json.object().put("status", done && target == n ? "ok" : "timeout").put("n", n).put("composed", target).put("writers", o.writers())
                .put("transactions", groups.sum()).put("largest_group", largestGroup.get());
        log("throughput: " + target + " composed in " + groups.sum() + " transactions, the largest of " + largestGroup.get());
        double composeS = (tComposed - t0) / 1e9;
        out.put("compose_s", round(composeS, 2)).put("compose_per_s", round(target / composeS, 0));
        out.set("compose_ms", stats(Arrays.copyOf(composeNs, (int) target)));
        long lastDelivered = queryLong(a, "SELECT COALESCE(MAX(delivered_at), 0) FROM outbox WHERE recipient = ? AND id > ?", B, maxOutboxId);
        long deliveredCount = queryLong(a, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND id > ? AND state = 'delivered'", B, maxOutboxId);
        out.put("delivered", deliveredCount);
        if (lastDelivered > 0) {
            double s = (lastDelivered - wall0) / 1000.0;
            out.put("first_compose_to_last_delivered_s", round(s, 2)).put("end_to_end_per_s", round(deliveredCount / s, 0));
        }
        if (m.heldAt > 0) out.put("first_compose_to_b_holds_all_s", round((m.heldAt - t0) / 1e9, 2));
        out.put("delivered_lag_after_compose_end_s", m.doneAt > 0 ? round((m.doneAt - tComposed) / 1e9, 2) : -1);
        out.set("posts", attempts(a, wall0));
        out.put("deliveries_with_more_than_one_attempt",
                queryLong(a, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND id > ? AND attempts > 1", B, maxOutboxId));
        out.put("receipts_sample_verified", verifySample(a, b, maxOutboxId, 20));
        out.set("b_rejections", rejections(b));
        out.set("progress", m.series);
        return out;
    }

    /** 3. Catch-up after a partition. */
    static ObjectNode catchup(Options o, Pair p, long deadline) throws Exception {
        NodeServer a = p.a;
        int port = p.b.port();
        long baseHead = headSeq(a, A);
        p.b.close();
        p.b = null;
        long wallDown = System.currentTimeMillis();
        log("catchup: B stopped (port " + port + "); composing " + o.catchupN() + " at A");
        // Leave a third of what is left (at most 300 s) for the catch-up itself.
        long reserve = Math.min(TimeUnit.SECONDS.toNanos(300), (deadline - System.nanoTime()) / 3);
        long composeDeadline = Math.min(deadline - reserve, System.nanoTime() + TimeUnit.SECONDS.toNanos(o.composeSeconds()));
        long c0 = System.nanoTime();
        long lastLog = c0;
        int composed = 0;
        ArrayNode composeSeries = Json.MAPPER.createArrayNode();
        long[] composeNs = new long[o.bulkSeed() ? 0 : o.catchupN()];
        if (o.bulkSeed()) composed = seedBulk(a, o.catchupN(), composeDeadline);
        for (int i = 0; i < o.catchupN() && !o.bulkSeed(); i++) {
            long s0 = System.nanoTime();
            if (s0 > composeDeadline) break;
            composeDirect(a, "catchup " + i);
            composeNs[i] = System.nanoTime() - s0;
            composed++;
            if (System.nanoTime() - lastLog > 10_000_000_000L) {
                lastLog = System.nanoTime();
                double s = (lastLog - c0) / 1e9;
                log(String.format(Locale.ROOT, "catchup: composed %d in %.0f s (%.0f/s)", composed, s, composed / s));
                composeSeries.add(Json.object().put("t_s", round(s, 1)).put("composed", composed));
            }
        }
        double composeS = (System.nanoTime() - c0) / 1e9;
        ObjectNode out = Json.object().put("n", o.catchupN()).put("seed", o.bulkSeed() ? "bulk" : "composer").put("composed", composed).put("compose_s", round(composeS, 1))
                .put("compose_per_s", round(composed / composeS, 0)).put("compose_bounded_by_s", o.composeSeconds());
        out.set("compose_progress", composeSeries);
        if (!o.bulkSeed()) out.set("compose_ms_while_b_down", stats(Arrays.copyOf(composeNs, composed)));
        ObjectNode down = out.putObject("a_while_b_down");
        down.set("delivery_attempts", attempts(a, wallDown));
        down.put("outbox_queued_for_b", a.federation().outbox().count(B, "queued"));
        long target = headSeq(a, A);
        if (target - baseHead != composed) throw new IllegalStateException("A's head moved by " + (target - baseHead) + ", composed " + composed);

        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        p.b = p.start(B, port);
        NodeServer b = p.b;
        long tStarted = System.nanoTime();
        log("catchup: B restarted in " + (tStarted - t0) / 1_000_000 + " ms; waiting for seq " + target);
        out.put("b_restart_ms", (tStarted - t0) / 1_000_000);
        ArrayNode series = out.putArray("progress");
        long held = -1, drained = -1, nextSample = t0;
        long startSeq = headSeq(b, A);
        out.put("b_head_at_restart", startSeq - baseHead);
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long have = held < 0 ? headSeq(b, A) : target;
            if (held < 0 && have >= target) {
                held = now;
                log(String.format(Locale.ROOT, "catchup: B holds all %d after %.1f s", composed, (held - t0) / 1e9));
            }
            long queued = a.federation().outbox().count(B, "queued");
            if (now >= nextSample) {
                series.add(Json.object().put("t_s", round((now - t0) / 1e9, 1)).put("b_has", have - baseHead).put("a_queued_for_b", queued));
                nextSample = now + 1_000_000_000L;
                if (series.size() % 10 == 0) log("catchup: " + series.get(series.size() - 1));
            }
            if (held > 0 && queued == 0) {
                drained = now;
                break;
            }
            Thread.sleep(50);
        }
        out.put("status", held > 0 && drained > 0 ? "ok" : held > 0 ? "timeout-draining-outbox" : "timeout");
        if (held > 0) {
            double s = (held - t0) / 1e9;
            out.put("restart_to_b_holds_all_s", round(s, 2)).put("catchup_per_s", round(composed / s, 0)).put("goal_s", 60);
        } else {
            out.put("b_has_at_deadline", headSeq(b, A) - baseHead);
        }
        if (drained > 0) out.put("restart_to_a_outbox_drained_s", round((drained - t0) / 1e9, 2));
        out.set("a_push_after_restart", attempts(a, wall0));
        // chain-gap rows at B: envelopes A pushed ahead of B's head (its due rows need not be contiguous in chain order).
        out.set("b_rejections", rejections(b));
        return out;
    }

    // ------------------------------------------------------------------------------------------------- nodes

    /** Two fresh nodes peered both ways, with the channel "bench" active at both. */
    static final class Pair implements AutoCloseable {
        final Path root;
        final Federation.Settings settings;
        final boolean keep;
        volatile NodeServer a, b;

        Pair(Federation.Settings settings, boolean keep) throws Exception {
            this.root = Files.createTempDirectory("parley-fedload-");
            this.settings = settings;
            this.keep = keep;
            a = start(A, 0);
            b = start(B, 0);
            TestNodes.peerAll(a, b);
            establish();
        }

        /** As {@link TestNodes#start}, with the chosen federation settings; refuses anything but loopback. */
        NodeServer start(String origin, int port) throws IOException {
            Path dir = root.resolve(origin);
            NodeConfig cfg = Files.exists(dir.resolve(NodeConfig.FILE)) ? NodeConfig.load(dir)
                    : NodeInit.create(dir, new NodeInit.Options(origin, origin, "CERT", "XA", 1, null, List.of()), Instant.now());
            if (!cfg.bind().equals("127.0.0.1")) throw new IllegalStateException("node would bind " + cfg.bind());
            NodeServer server = NodeServer.start(dir, cfg.withPort(port), Clock.systemUTC(), settings);
            requireLoopback(server.baseUrl());
            server.node().users().put(TestNodes.USER, PASSWORD_HASH, "officer", Instant.now());
            server.node().users().setChannels(TestNodes.USER, java.util.List.of(io.parley.auth.Role.ALL_CHANNELS));
            return server;
        }

        void establish() throws Exception {
            Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
            for (Priority pr : Priority.values()) d.put(pr, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
            List<Charter.Member> members = new ArrayList<>(List.of(
                    new Charter.Member(A, a.node().key().verifierKey(), a.baseUrl()),
                    new Charter.Member(B, b.node().key().verifierKey(), b.baseUrl())));
            members.sort(Comparator.comparing(Charter.Member::origin));
            Charter charter = new Charter(CHANNEL, "federation load", Level.OPERATIONAL, members, d, Tlp.AMBER, List.of());
            var res = TestNodes.post(a, "/api/v1/channels", Json.write(charter.toJson()));
            if (res.statusCode() != 201) throw new IllegalStateException("propose: " + res.body());
            if (!TestNodes.eventually(15, () -> b.node().channels().charter(CHANNEL).isPresent())) throw new IllegalStateException("B never got the proposal");
            var signed = TestNodes.post(b, "/api/v1/channels/" + CHANNEL + "/sign", TestNodes.signBody(charter));
            if (signed.statusCode() != 200) throw new IllegalStateException("sign: " + signed.body());
            for (NodeServer n : List.of(a, b)) {
                if (!TestNodes.eventually(20, () -> n.node().charters().active(CHANNEL))) throw new IllegalStateException("not active at " + n.node().origin());
            }
            if (!TestNodes.eventually(20, () -> a.federation().outbox().count(B, "queued") == 0 && b.federation().outbox().count(A, "queued") == 0)) {
                throw new IllegalStateException("charter envelopes not delivered");
            }
        }

        @Override
        public void close() {
            for (NodeServer n : new NodeServer[] {a, b}) {
                if (n == null) continue;
                try {
                    n.close();
                } catch (RuntimeException e) {
                    log("closing " + n.node().origin() + ": " + e);
                }
            }
            a = null;
            b = null;
            if (!keep) deleteQuietly(root);
            else log("kept " + root);
        }
    }

    static void requireLoopback(String url) {
        if (!url.startsWith("http://127.0.0.1:")) throw new IllegalStateException("refusing non-loopback address " + url);
    }

    static ObjectNode body(String text) {
        return Json.object().put("text", text).put("lang", "en");
    }

    static String composeDirect(NodeServer n, String text) {
        Verdict v = n.node().composer().compose(new Composer.Draft(CHANNEL, Kind.NOTIFY, null, Priority.URGENT, Tlp.AMBER, body(text)));
        if (v instanceof Verdict.Accepted acc) return acc.hash();
        throw new IllegalStateException("compose: " + v);
    }

    static String composeApi(NodeServer n, String text) throws IOException, InterruptedException {
        var res = TestNodes.post(n, "/api/v1/channels/" + CHANNEL + "/messages",
                "{\"kind\":\"notify\",\"priority\":\"urgent\",\"tlp\":\"amber\",\"body\":{\"text\":\"" + text + "\",\"lang\":\"en\"}}");
        if (res.statusCode() != 201) throw new IllegalStateException("send: " + res.statusCode() + " " + res.body());
        return Json.parse(res.body()).path("hash").asText();
    }

    /**
     * Writes {@code n} envelopes of A's chain 1,000 per transaction, as {@code EnvelopeStore.insert} would one by one
     * (envelope row, log queue entry, outbox row for B); returns how many were written before {@code deadline}.
     */
    static int seedBulk(NodeServer a, int n, long deadline) {
        SigningKey key = a.node().key();
        Optional<ChainHead> head = a.node().envelopes().head(CHANNEL, A);
        long seq = head.map(ChainHead::seq).orElse(0L);
        String prev = head.map(ChainHead::hash).orElse(null);
        int done = 0;
        while (done < n && System.nanoTime() < deadline) {
            int size = Math.min(1000, n - done);
            List<Envelope> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Envelope draft = new Envelope(Envelope.VERSION, CHANNEL, A, ++seq, prev, Kind.NOTIFY, null,
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(), Priority.URGENT, Tlp.AMBER,
                        body("catchup " + (done + i)), null);
                Envelope e = EnvelopeSigner.sign(draft, key);
                batch.add(e);
                prev = e.hash();
            }
            Instant at = Instant.now();
            a.node().db().inTransaction(c -> {
                for (Envelope e : batch) {
                    byte[] canonical = e.canonicalBytes();
                    String hash = e.hash();
                    Database.update(c, "INSERT INTO envelopes (hash, channel, sender, seq, kind, case_id, created, tlp, canonical, received_at) "
                                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            hash, e.channel(), e.from(), e.seq(), e.kind().wire(), e.caseId(), e.created(), e.tlp().wire(),
                            new String(canonical, StandardCharsets.UTF_8), at.toEpochMilli());
                    LogQueue.enqueue(c, canonical, hash, at);
                    Database.update(c, "INSERT INTO outbox (envelope_hash, recipient, state, next_attempt_at) VALUES (?, ?, 'queued', ?)",
                            hash, B, at.toEpochMilli());
                }
                return null;
            });
            a.node().log().poke();
            done += size;
            if (done % 20_000 == 0) log("catchup: bulk-seeded " + done);
        }
        a.federation().delivery().poke();
        return done;
    }

    static Optional<OutboxStore.Status> statusFor(OutboxStore outbox, String hash) {
        for (OutboxStore.Status s : outbox.forEnvelope(hash)) if (s.recipient().equals(B)) return Optional.of(s);
        return Optional.empty();
    }

    static long awaitDelivered(OutboxStore outbox, String hash, long pollNanos, long deadline, int i) {
        while (true) {
            Optional<OutboxStore.Status> s = statusFor(outbox, hash);
            if (s.isPresent() && s.get().state().equals("delivered") && s.get().receipt() != null) return System.nanoTime();
            if (s.isPresent() && s.get().state().equals("failed")) throw new IllegalStateException("delivery of #" + i + " failed: " + s.get().lastError());
            if (System.nanoTime() > deadline) {
                throw new ScenarioTimeout("envelope #" + i + " not delivered by the deadline; outbox row: " + s.orElse(null), null);
            }
            LockSupport.parkNanos(pollNanos);
        }
    }

    static long headSeq(NodeServer n, String sender) {
        return n.node().envelopes().head(CHANNEL, sender).map(ChainHead::seq).orElse(0L);
    }

    static long receivedAt(NodeServer n, String hash) {
        return queryLong(n, "SELECT received_at FROM envelopes WHERE hash = ?", hash);
    }

    static long queryLong(NodeServer n, String sql, Object... args) {
        return n.node().db().queryOne(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    /** A's delivery attempts to B since {@code sinceMs}: POSTs, envelopes carried, successes. */
    static ObjectNode attempts(NodeServer a, long sinceMs) {
        return a.node().db().queryOne("SELECT COUNT(*), COALESCE(SUM(envelopes), 0), COALESCE(SUM(ok), 0), COALESCE(SUM(CASE WHEN ok = 1 THEN envelopes ELSE 0 END), 0) "
                + "FROM delivery_attempts WHERE peer = ? AND at >= ?", rs -> {
                    ObjectNode o = Json.object();
                    long count = rs.getLong(1), ok = rs.getLong(3), okEnv = rs.getLong(4);
                    o.put("posts", count).put("envelopes_in_posts", rs.getLong(2)).put("ok_posts", ok).put("failed_posts", count - ok);
                    o.put("envelopes_per_ok_post", ok == 0 ? 0 : round((double) okEnv / ok, 1));
                    return o;
                }, B, sinceMs).orElseThrow();
    }

    static ObjectNode rejections(NodeServer n) {
        ObjectNode o = Json.object();
        n.node().db().query("SELECT code, COUNT(*) FROM rejections GROUP BY code ORDER BY code", rs -> o.put(rs.getString(1), rs.getLong(2)));
        return o;
    }

    /** Verifies {@code count} receipts spread over the deliveries made after outbox id {@code afterId}. */
    static int verifySample(NodeServer a, NodeServer b, long afterId, int count) throws ReceiptVerifier.InvalidReceipt {
        List<String[]> rows = a.node().db().query("SELECT o.receipt, e.canonical FROM outbox o JOIN envelopes e ON e.hash = o.envelope_hash "
                + "WHERE o.recipient = ? AND o.id > ? AND o.state = 'delivered' AND (o.id % 97) = 0 ORDER BY o.id LIMIT ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, B, afterId, count);
        VerifierKey key = b.node().key().verifierKey();
        for (String[] r : rows) ReceiptVerifier.verify(r[1].getBytes(StandardCharsets.UTF_8), Json.parse(r[0]).path("tlog_proof").asText(), key, List.of(), 0);
        return rows.size();
    }

    /** Watches delivery progress every 100 ms on its own thread (so that the composing thread is not slowed). */
    static final class Monitor {
        final long t0;
        final AtomicLong composed;
        final java.util.function.LongSupplier delivered, held;
        volatile long target;
        volatile long heldAt = -1, doneAt = -1;
        volatile boolean running = true;
        final ArrayNode series = Json.MAPPER.createArrayNode();
        Thread thread;

        Monitor(long t0, AtomicLong composed, java.util.function.LongSupplier delivered, java.util.function.LongSupplier held, long target) {
            this.t0 = t0;
            this.composed = composed;
            this.delivered = delivered;
            this.held = held;
            this.target = target;
        }

        void start() {
            thread = Thread.ofPlatform().daemon().name("fedload-monitor").start(() -> {
                long nextSample = t0;
                while (running) {
                    long now = System.nanoTime();
                    long c = composed.get();
                    long d = delivered.getAsLong();
                    long h = heldAt > 0 ? target : held.getAsLong();
                    if (heldAt < 0 && h >= target) heldAt = now;
                    if (doneAt < 0 && d >= target) doneAt = now;
                    if (now >= nextSample) {
                        synchronized (series) {
                            series.add(Json.object().put("t_s", round((now - t0) / 1e9, 1)).put("composed", c).put("b_has", h).put("delivered", d));
                        }
                        nextSample = now + 1_000_000_000L;
                    }
                    if (doneAt > 0 && heldAt > 0) return;
                    LockSupport.parkNanos(100_000_000L);
                }
            });
        }

        boolean awaitDone(long deadline) throws InterruptedException {
            while (System.nanoTime() < deadline) {
                if (doneAt > 0 && heldAt > 0) return true;
                Thread.sleep(50);
            }
            return doneAt > 0 && heldAt > 0;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    // ------------------------------------------------------------------------------------------------- output

    static ObjectNode stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        ObjectNode o = Json.object();
        o.put("n", s.length);
        if (s.length == 0) return o;
        double sum = 0;
        for (long v : s) sum += v;
        o.put("min", ms(s[0])).put("p50", ms(pct(s, 50))).put("p90", ms(pct(s, 90))).put("p99", ms(pct(s, 99))).put("max", ms(s[s.length - 1]))
                .put("mean", ms((long) (sum / s.length)));
        return o;
    }

    static long pct(long[] sorted, double p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    static double ms(long nanos) {
        return round(nanos / 1e6, 2);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static void printTable(ObjectNode results) {
        StringBuilder sb = new StringBuilder("\n");
        String fmt = "%-11s %-42s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "scenario", "metric", "value"));
        results.properties().forEach(e -> {
            String s = e.getKey();
            JsonNode r = e.getValue();
            sb.append(String.format(Locale.ROOT, fmt, s, "status", r.path("status").asText() + "  (wall " + r.path("wall_s").asText() + " s)"));
            switch (s) {
                case "latency" -> {
                    sb.append(String.format(Locale.ROOT, fmt, "", "compose (" + r.path("via").asText() + ") ms", dist(r.path("compose_ms"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "compose→delivered+receipt ms", dist(r.path("compose_to_delivered_ms"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "  same, delivered at 1st attempt only", dist(r.path("compose_to_delivered_ms_first_attempt_only"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "  A stored→B stored ms (1 ms res.)", dist(r.path("split_ms_resolution_1ms").path("a_stored_to_b_stored"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "  B stored→delivered at A ms", dist(r.path("split_ms_resolution_1ms").path("b_stored_to_delivered_at_a"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "receipts verified / >1 attempt", r.path("receipts_verified").asText() + " / " + r.path("deliveries_with_more_than_one_attempt").asText()));
                }
                case "inbox" -> {
                    sb.append(String.format(Locale.ROOT, fmt, "", "POST → 201 with receipt ms", dist(r.path("post_to_201_with_receipt_ms"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "receipts verified / answers without", r.path("receipts_verified").asText() + " / "
                            + r.path("answers_without_receipt").asText()));
                }
                case "throughput" -> {
                    sb.append(String.format(Locale.ROOT, fmt, "", "composed / delivered", r.path("composed").asText() + " / " + r.path("delivered").asText()));
                    sb.append(String.format(Locale.ROOT, fmt, "", "compose", r.path("compose_s").asText() + " s, " + r.path("compose_per_s").asText() + "/s"));
                    sb.append(String.format(Locale.ROOT, fmt, "", "  one compose ms", dist(r.path("compose_ms"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "first compose → last delivered", r.path("first_compose_to_last_delivered_s").asText() + " s, "
                            + r.path("end_to_end_per_s").asText() + " env/s"));
                    JsonNode posts = r.path("posts");
                    sb.append(String.format(Locale.ROOT, fmt, "", "POSTs (ok/failed), env per ok POST", posts.path("posts").asText() + " (" + posts.path("ok_posts").asText()
                            + "/" + posts.path("failed_posts").asText() + "), " + posts.path("envelopes_per_ok_post").asText()));
                    sb.append(String.format(Locale.ROOT, fmt, "", ">1 attempt / B rejections", r.path("deliveries_with_more_than_one_attempt").asText() + " / " + r.path("b_rejections")));
                }
                case "catchup" -> {
                    sb.append(String.format(Locale.ROOT, fmt, "", "written while B down (" + r.path("seed").asText() + ")", r.path("composed").asText() + " in " + r.path("compose_s").asText() + " s ("
                            + r.path("compose_per_s").asText() + "/s)"));
                    if (r.has("compose_ms_while_b_down")) sb.append(String.format(Locale.ROOT, fmt, "", "  one compose ms", dist(r.path("compose_ms_while_b_down"))));
                    sb.append(String.format(Locale.ROOT, fmt, "", "A failed POSTs while B down", r.path("a_while_b_down").path("delivery_attempts").path("failed_posts").asText()));
                    sb.append(String.format(Locale.ROOT, fmt, "", "restart → B holds all", r.path("restart_to_b_holds_all_s").asText("-") + " s, "
                            + r.path("catchup_per_s").asText("-") + " env/s (goal: 100,000 in ≤ 60 s)"));
                    sb.append(String.format(Locale.ROOT, fmt, "", "restart → A outbox drained", r.path("restart_to_a_outbox_drained_s").asText("-") + " s"));
                    JsonNode posts = r.path("a_push_after_restart");
                    sb.append(String.format(Locale.ROOT, fmt, "", "A POSTs after restart (ok/failed)", posts.path("posts").asText() + " (" + posts.path("ok_posts").asText()
                            + "/" + posts.path("failed_posts").asText() + ")"));
                    sb.append(String.format(Locale.ROOT, fmt, "", "B rejections", r.path("b_rejections").toString()));
                }
                default -> { }
            }
            if (r.has("detail")) sb.append(String.format(Locale.ROOT, fmt, "", "detail", r.path("detail").asText()));
        });
        System.out.print(sb);
    }

    static String dist(JsonNode s) {
        if (s.isMissingNode()) return "-";
        return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  max %s  (n=%s)", s.path("p50").asText(), s.path("p90").asText(), s.path("p99").asText(),
                s.path("max").asText(), s.path("n").asText());
    }

    static Path write(ObjectNode summary) throws IOException {
        Path dir = Path.of(System.getProperty("parley.bench.results", "bench/results"));
        Files.createDirectories(dir);
        Path file = dir.resolve("federation-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.writeString(file, Json.pretty(summary) + "\n");
        return file;
    }

    static void startWatchdog(long seconds, ObjectNode summary) {
        Thread.ofPlatform().daemon().name("fedload-watchdog").start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            } catch (InterruptedException e) {
                return;
            }
            log("watchdog: the run exceeded " + seconds + " s; halting");
            try {
                summary.put("watchdog", "halted after " + seconds + " s");
                System.out.println("partial summary: " + write(summary));
            } catch (IOException | RuntimeException e) {
                log("could not write the partial summary: " + e);
            }
            Runtime.getRuntime().halt(3);
        });
    }

    static void log(String s) {
        System.err.println(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " fedload: " + s);
    }

    static void deleteQuietly(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log("could not delete " + root + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------- arguments

    static Options parse(String[] args) {
        List<String> scenarios = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                flags.put("keep", "true");
            } else if (a.startsWith("--")) {
                if (i + 1 >= args.length) usage("missing value for " + a);
                flags.put(a.substring(2), args[++i]);
            } else if (a.equals("all")) {
                scenarios.addAll(List.of("latency", "inbox", "throughput", "catchup"));
            } else if (List.of("latency", "inbox", "throughput", "catchup").contains(a)) {
                scenarios.add(a);
            } else {
                usage("unknown scenario " + a);
            }
        }
        if (scenarios.isEmpty()) scenarios.addAll(List.of("latency", "inbox", "throughput", "catchup"));
        String settings = flags.getOrDefault("settings", "fast");
        if (!settings.equals("fast") && !settings.equals("default")) usage("--settings fast|default");
        String via = flags.getOrDefault("via", "composer");
        String seed = flags.getOrDefault("seed", "bulk");
        if (!seed.equals("composer") && !seed.equals("bulk")) usage("--seed bulk|composer");
        if (!via.equals("composer") && !via.equals("api")) usage("--via composer|api");
        for (String k : flags.keySet()) {
            if (!List.of("n", "warmup", "poll-us", "gap-ms", "via", "throughput-n", "catchup-n", "compose-seconds", "seed", "timeout", "settings", "keep", "writers").contains(k)) usage("unknown option --" + k);
        }
        return new Options(scenarios, intFlag(flags, "n", 500), intFlag(flags, "warmup", 50), intFlag(flags, "poll-us", 200) * 1000L,
                intFlag(flags, "gap-ms", 10), via.equals("api"), intFlag(flags, "throughput-n", 20_000), intFlag(flags, "catchup-n", 20_000),
                intFlag(flags, "compose-seconds", 1200), seed.equals("bulk"), flags.containsKey("timeout") ? intFlag(flags, "timeout", 0) : null, settings,
                flags.containsKey("keep"), intFlag(flags, "writers", 8));
    }

    static int intFlag(Map<String, String> flags, String name, int def) {
        String v = flags.get(name);
        if (v == null) return def;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            usage("--" + name + " needs a number, not " + v);
            return def;
        }
    }

    static void usage(String why) {
        System.err.println("FederationLoad: " + why);
        System.err.println("usage: FederationLoad [all|latency|inbox|throughput|catchup ...] [--n 500] [--warmup 50] [--poll-us 200] [--gap-ms 10]"
                + " [--via composer|api] [--throughput-n 20000] [--catchup-n 20000] [--compose-seconds 1200] [--seed bulk|composer] [--timeout S] [--writers 8]"
                + " [--settings fast|default] [--keep]");
        System.exit(2);
    }
}
