package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.transparency.StoredCheckpoint;
import io.parley.transparency.TransparencyLog;
import io.parley.worker.Ticker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Load tool (not JMH): sustained {@link TransparencyLog#append} throughput of real signed envelopes, and the
 * latency from an append returning to a published checkpoint that covers it, on SQLite (a temp file) and on
 * embedded PostgreSQL.
 *
 * <p>Method. Envelopes are signed before anything is timed ({@code count + idle} of them, hash chains from a few
 * senders; what is appended is each envelope's canonical bytes with its hash as the ref, as {@code EnvelopeStore}
 * does, and the log stores their 32-byte commitments). Then, per backend, on a fresh database:
 * <ol>
 * <li><b>load</b>: {@code --threads} producers call {@code append} as fast as they can until {@code count} entries
 * were appended or {@code --seconds} passed; then the tool waits until every appended entry is in a published
 * checkpoint. A poller thread watches {@code latest()} (every ~100 µs) and records when each new checkpoint size
 * became visible. Every {@code --sample}-th append records when {@code append} returned; after the run its log
 * index is looked up and its latency is the time until the first observed checkpoint with size &gt; index
 * (resolution: the poll interval).</li>
 * <li><b>idle</b>: {@code --idle} single appends on the now idle log, each followed by {@code awaitIndex}
 * (which returns once the sequencer has published the covering checkpoint), with a short pause in between.</li>
 * <li><b>idle, another instance</b> (PostgreSQL only): a second instance (its own pool and log on the same
 * database, so it does not lead) makes {@code --idle} single appends; for each, the time from its {@code append}
 * returning until the leader has published a covering checkpoint (the leader's {@code awaitIndex}, waiting from
 * before the append) and until the second instance itself knows it (its own {@code awaitIndex}: what a receipt
 * served by that instance waits for). This is the path that has no in-process wake-up.</li>
 * </ol>
 * Prints a table and writes a JSON summary to {@code bench/results/append-load-<time>.json} (relative to the
 * working directory; override with {@code -Dparley.bench.results=DIR}).
 *
 * <p>Embedded PostgreSQL (zonky) starts the server with {@code -F} (fsync off) and {@code synchronous_commit=off};
 * this tool turns both back on ({@code --pg-sync on}, the default, as in production) so that both backends
 * acknowledge only durable commits; {@code --pg-sync off} keeps zonky's settings. SQLite is opened by
 * {@link Database} with WAL and {@code synchronous=FULL}.
 *
 * <p>Run from the repository root (classpath as bench/run builds it):
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -B -q -DskipTests -DbuildDir=$PWD/target/bench test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=$PWD/target/bench/classpath.txt -Dmdep.includeScope=test
 * $JAVA_HOME/bin/java -cp "target/bench/test-classes:target/bench/classes:$(cat target/bench/classpath.txt)" \
 *     io.parley.bench.AppendLoad both 200000 [--threads 4] [--seconds 60] [--sample 100] [--idle 200] [--senders 4] [--pg-sync on|off]
 * </pre>
 * Arguments: backend ({@code sqlite}, {@code postgresql} or {@code both}; default both), count (default 200000).
 */
public final class AppendLoad {

    /** No growth for this long with an empty queue means appends were lost. */
    static final long STALL_NANOS = Duration.ofSeconds(20).toNanos();

    record Options(List<String> backends, int count, int threads, int seconds, int sample, int idle, int senders, boolean pgSync) {}

    /** The pre-signed workload: canonical bytes and hash refs. */
    record Workload(byte[][] data, String[] refs, long signNanos, long totalBytes) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        System.out.printf("AppendLoad: backends=%s count=%d threads=%d seconds<=%d sample=1/%d idle=%d senders=%d pg fsync+synchronous_commit=%s, %d cpus, Java %s%n",
                o.backends, o.count, o.threads, o.seconds, o.sample, o.idle, o.senders, o.pgSync ? "on" : "off",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        Workload w = presign(o.count + 2 * o.idle, o.senders);
        System.out.printf("pre-signed %d envelopes (avg %d bytes canonical) in %.1f s%n", w.data.length,
                w.totalBytes / w.data.length, w.signNanos / 1e9);

        List<ObjectNode> results = new ArrayList<>();
        for (String backend : o.backends) results.add(runBackend(backend, o, w));

        System.out.println();
        System.out.println("backend     appended   lost  secs   accepted/s  sequenced/s  ckpts  avg batch | load ckpt latency ms p50 / p99 / max | append() ms p50 / p99 | idle ms p50 / p99 (incl. append p50 / p99) | idle via another instance ms p50 / p99: leader, that instance");
        for (ObjectNode r : results) {
            ObjectNode load = (ObjectNode) r.get("load");
            ObjectNode idle = (ObjectNode) r.get("idle");
            System.out.printf("%-10s %9d %6d %5.1f %12.0f %12.0f %6d %10.1f | %9.1f / %7.1f / %7.1f        | %7.2f / %7.2f     | %6.1f / %6.1f (%6.1f / %6.1f)%n",
                    r.get("backend").asText(), load.get("appended").asLong(), load.get("lostAppends").asLong(), load.get("seconds").asDouble(),
                    load.get("acceptedPerSecond").asDouble(), load.get("sequencedPerSecond").asDouble(),
                    load.get("checkpoints").asLong(), load.get("averageBatch").asDouble(),
                    load.get("checkpointLatencyMs").get("p50").asDouble(), load.get("checkpointLatencyMs").get("p99").asDouble(),
                    load.get("checkpointLatencyMs").get("max").asDouble(),
                    load.get("appendCallMs").get("p50").asDouble(), load.get("appendCallMs").get("p99").asDouble(),
                    idle.get("afterAppendMs").get("p50").asDouble(), idle.get("afterAppendMs").get("p99").asDouble(),
                    idle.get("includingAppendMs").get("p50").asDouble(), idle.get("includingAppendMs").get("p99").asDouble());
            ObjectNode other = (ObjectNode) r.get("idleOtherInstance");
            if (other != null) {
                System.out.printf("%-10s %141s %6.1f / %6.1f, %6.1f / %6.1f%n", "", "", other.get("leaderMs").get("p50").asDouble(),
                        other.get("leaderMs").get("p99").asDouble(), other.get("thatInstanceMs").get("p50").asDouble(),
                        other.get("thatInstanceMs").get("p99").asDouble());
            }
        }

        ObjectNode summary = Json.object();
        summary.put("tool", "io.parley.bench.AppendLoad");
        summary.put("at", Instant.now().toString());
        summary.put("java", Runtime.version().toString());
        summary.put("cpus", Runtime.getRuntime().availableProcessors());
        ObjectNode opts = summary.putObject("options");
        opts.put("count", o.count).put("threads", o.threads).put("seconds", o.seconds).put("sample", o.sample)
                .put("idle", o.idle).put("senders", o.senders).put("pgSynchronousCommit", o.pgSync);
        opts.put("settings", TransparencyLog.Settings.DEFAULT.toString());
        summary.put("presignSeconds", w.signNanos / 1e9);
        summary.put("averageEntryBytes", w.totalBytes / w.data.length);
        ArrayNode arr = summary.putArray("results");
        results.forEach(arr::add);
        Path dir = Path.of(System.getProperty("parley.bench.results", "bench/results"));
        Files.createDirectories(dir);
        Path file = dir.resolve("append-load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
        System.out.println("wrote " + file);
        System.exit(0); // embedded PostgreSQL's and Hikari's threads
    }

    // ---------------------------------------------------------------- workload

    static Workload presign(int total, int senders) throws InterruptedException {
        long t0 = System.nanoTime();
        byte[][] data = new byte[total][];
        String[] refs = new String[total];
        Thread[] threads = new Thread[senders];
        Instant base = Instant.parse("2026-11-23T10:00:00Z");
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads[s] = Thread.ofPlatform().name("presign-" + s).start(() -> {
                SigningKey key = SigningKey.generate("cert-" + (char) ('a' + sender % 26) + sender + ".example");
                String prev = null;
                long seq = 1;
                // Sender s owns every senders-th slot, so the appends interleave the senders as a busy node would.
                for (int i = sender; i < total; i += senders, seq++) {
                    String created = DateTimeFormatter.ISO_INSTANT.format(base.plusMillis(i * 7L));
                    Envelope draft = new Envelope(1, "bench-trilateral", key.name(), seq, prev, Kind.UPDATE, "case-2026-" + (i % 997),
                            created, Priority.ROUTINE, Tlp.AMBER,
                            Json.object().put("type", "status")
                                    .put("summary", "Status update " + i + " on the containment of the incident")
                                    .put("text", "Blocked 203.0.113." + (i % 250) + " at the edge; sinkholed C2 domain; "
                                            + "forensic images of " + (i % 40) + " hosts taken, analysis in progress.")
                                    .put("lang", "en"), null);
                    Envelope signed = EnvelopeSigner.sign(draft, key);
                    data[i] = signed.canonicalBytes();
                    refs[i] = io.parley.identity.Sha256.hex(data[i]);
                    prev = refs[i];
                }
            });
        }
        for (Thread t : threads) t.join();
        long bytes = 0;
        for (byte[] d : data) bytes += d.length;
        return new Workload(data, refs, System.nanoTime() - t0, bytes);
    }

    // ---------------------------------------------------------------- one backend

    /** A database for the run and what must be closed after it. */
    record Backend(String name, String jdbcUrl, AutoCloseable cleanup) {}

    static Backend openBackend(String name, boolean pgSync) throws IOException {
        switch (name) {
            case "sqlite" -> {
                Path dir = Files.createTempDirectory("parley-appendload");
                Path file = dir.resolve("log.db");
                return new Backend(name, "jdbc:sqlite:" + file, () -> deleteTree(dir));
            }
            case "postgresql" -> {
                // zonky starts postgres with -F (fsync off) and synchronous_commit=off; -c options come after -F and win.
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("synchronous_commit", pgSync ? "on" : "off")
                        .setServerConfig("fsync", pgSync ? "on" : "off")
                        .start();
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE parley_bench");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return new Backend(name, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/parley_bench?user=postgres", pg);
            }
            default -> throw new IllegalArgumentException("unknown backend " + name);
        }
    }

    static ObjectNode runBackend(String name, Options o, Workload w) throws Exception {
        System.out.printf("%n== %s ==%n", name);
        Backend backend = openBackend(name, o.pgSync);
        ObjectNode result = Json.object();
        result.put("backend", name);
        try (Database db = Database.open(backend.jdbcUrl());
             TransparencyLog log = new TransparencyLog(db, SigningKey.generate("bench-log.example"), Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM,
                     TransparencyLog.Settings.DEFAULT)) {
            result.set("load", load(log, db, o, w));
            result.set("idle", idle(log, o, w));
            if (name.equals("postgresql")) result.set("idleOtherInstance", idleOtherInstance(log, backend.jdbcUrl(), o, w));
        } finally {
            backend.cleanup().close();
        }
        return result;
    }

    /** Records when each checkpoint size first became visible through {@code latest()}. */
    static final class CheckpointPoller implements Runnable {
        private final TransparencyLog log;
        private volatile boolean running = true;
        private long[] times = new long[1 << 16];
        private long[] sizes = new long[1 << 16];
        private int n;
        private final Thread thread;

        CheckpointPoller(TransparencyLog log) {
            this.log = log;
            this.thread = Thread.ofPlatform().name("checkpoint-poller").daemon().start(this);
        }

        @Override
        public void run() {
            long last = -1;
            while (running) {
                Optional<StoredCheckpoint> cp = log.latest();
                long size = cp.map(StoredCheckpoint::size).orElse(0L);
                if (size != last) {
                    long now = System.nanoTime();
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                        sizes = Arrays.copyOf(sizes, n * 2);
                    }
                    times[n] = now;
                    sizes[n] = size;
                    n++;
                    last = size;
                }
                LockSupport.parkNanos(100_000);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        /** When the first checkpoint with size &gt; index was seen, or -1. Call after {@link #stop}. */
        long coveredAt(long index) {
            int lo = 0;
            int hi = n; // sizes are non-decreasing: binary search the first size > index
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sizes[mid] > index) hi = mid;
                else lo = mid + 1;
            }
            return lo < n ? times[lo] : -1;
        }
    }

    static ObjectNode load(TransparencyLog log, Database db, Options o, Workload w) throws Exception {
        int count = o.count;
        int samples = (count + o.sample - 1) / o.sample;
        long[] sampleReturned = new long[samples];
        long[] sampleCall = new long[samples];
        AtomicInteger next = new AtomicInteger();
        AtomicLong appended = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CheckpointPoller poller = new CheckpointPoller(log);
        long start = System.nanoTime();
        long deadline = start + o.seconds * 1_000_000_000L;
        Thread[] producers = new Thread[o.threads];
        for (int t = 0; t < o.threads; t++) {
            producers[t] = Thread.ofPlatform().name("producer-" + t).start(() -> {
                while (true) {
                    int i = next.getAndIncrement();
                    if (i >= count || System.nanoTime() > deadline) return;
                    long before = System.nanoTime();
                    try {
                        log.append(w.data[i], w.refs[i]);
                    } catch (RuntimeException e) {
                        if (errors.incrementAndGet() <= 3) System.err.println("append failed: " + e);
                        continue;
                    }
                    long after = System.nanoTime();
                    appended.incrementAndGet();
                    if (i % o.sample == 0) {
                        sampleReturned[i / o.sample] = after;
                        sampleCall[i / o.sample] = after - before;
                    }
                }
            });
        }
        for (Thread t : producers) t.join();
        long producersDone = System.nanoTime();
        long total = appended.get();
        System.out.printf("appended %d in %.1f s (%d errors); waiting for the sequencer...%n", total, (producersDone - start) / 1e9, errors.get());
        // Wait until everything is sequenced. If the log stops growing while the queue is empty, appends were lost:
        // report that instead of waiting forever.
        long lastSize = -1;
        long lastChange = System.nanoTime();
        long lost = 0;
        while (true) {
            long size = log.latest().map(StoredCheckpoint::size).orElse(0L);
            if (size >= total) break;
            long now = System.nanoTime();
            if (size != lastSize) {
                lastSize = size;
                lastChange = now;
            } else if (now - lastChange > STALL_NANOS) {
                long queued = log.store().queueLength();
                long entries = db.queryOne("SELECT COUNT(*) FROM log_entries", rs -> rs.getLong(1)).orElse(0L);
                System.out.printf("STALLED: %d appended, published size %d, %d entries stored, %d still queued, for %.0f s%n",
                        total, size, entries, queued, (now - lastChange) / 1e9);
                if (queued == 0) {
                    lost = total - entries;
                    System.out.printf("LOST APPENDS: %d appends returned successfully but are neither in the log nor in the queue%n", lost);
                    break;
                }
                lastChange = now; // still queued: keep waiting
            }
            LockSupport.parkNanos(200_000);
        }
        long sequencedDone = lost > 0 ? lastChange : System.nanoTime();
        poller.stop();

        // Latency of the sampled appends: from append() returning to the first observed checkpoint covering it.
        List<Long> latencies = new ArrayList<>();
        List<Long> calls = new ArrayList<>();
        int negative = 0;
        int missing = 0;
        for (int s = 0; s < samples; s++) {
            if (sampleReturned[s] == 0) continue; // not appended (time limit or error)
            Optional<Long> index = log.store().indexOf(w.refs[s * o.sample]);
            long covered = index.isPresent() ? poller.coveredAt(index.get()) : -1;
            if (covered < 0) {
                missing++;
                continue;
            }
            long l = covered - sampleReturned[s];
            if (l < 0) {
                negative++; // published before append() returned (the poller saw it first); count as 0
                l = 0;
            }
            latencies.add(l);
            calls.add(sampleCall[s]);
        }
        long checkpoints = db.queryOne("SELECT COUNT(*) FROM log_checkpoints", rs -> rs.getLong(1)).orElse(0L);
        double seconds = (producersDone - start) / 1e9;
        double seqSeconds = (sequencedDone - start) / 1e9;
        ObjectNode r = Json.object();
        r.put("appended", total);
        r.put("errors", errors.get());
        r.put("lostAppends", lost);
        r.put("seconds", seconds);
        r.put("secondsUntilAllSequenced", seqSeconds);
        r.put("acceptedPerSecond", total / seconds);
        r.put("sequencedPerSecond", (total - lost) / seqSeconds);
        r.put("checkpoints", checkpoints);
        r.put("averageBatch", checkpoints == 0 ? 0 : (double) total / checkpoints);
        r.put("sampled", latencies.size());
        r.put("sampledPublishedBeforeAppendReturned", negative);
        r.put("sampledWithoutCheckpoint", missing);
        r.set("checkpointLatencyMs", percentiles(latencies));
        r.set("appendCallMs", percentiles(calls));
        System.out.printf("load: %d entries, %.0f accepted/s, %.0f sequenced/s, %d checkpoints (avg batch %.1f); checkpoint latency ms %s; append() ms %s%n",
                total, total / seconds, (total - lost) / seqSeconds, checkpoints, checkpoints == 0 ? 0 : (double) total / checkpoints,
                r.get("checkpointLatencyMs"), r.get("appendCallMs"));
        return r;
    }

    static ObjectNode idle(TransparencyLog log, Options o, Workload w) throws InterruptedException {
        List<Long> afterAppend = new ArrayList<>();
        List<Long> including = new ArrayList<>();
        int failed = 0;
        Thread.sleep(200);
        for (int k = 0; k < o.idle; k++) {
            int i = o.count + k;
            long t0 = System.nanoTime();
            log.append(w.data[i], w.refs[i]);
            long t1 = System.nanoTime();
            Optional<Long> index = log.awaitIndex(w.refs[i], Duration.ofSeconds(10));
            long t2 = System.nanoTime();
            if (index.isEmpty() || log.latest().map(StoredCheckpoint::size).orElse(0L) <= index.get()) {
                failed++;
                continue;
            }
            afterAppend.add(t2 - t1);
            including.add(t2 - t0);
            Thread.sleep(10); // let the sequencer go back to sleep: each append finds it idle
        }
        ObjectNode r = latencies(o.idle, failed, "afterAppendMs", afterAppend, "includingAppendMs", including);
        System.out.printf("idle: append -> published checkpoint ms %s; including the append call %s%n",
                r.get("afterAppendMs"), r.get("includingAppendMs"));
        return r;
    }

    /** As {@link #idle}, but each append is made by a second instance sharing the database; see the class comment. */
    static ObjectNode idleOtherInstance(TransparencyLog leader, String jdbcUrl, Options o, Workload w) throws Exception {
        List<Long> atLeader = new ArrayList<>();
        List<Long> atThatInstance = new ArrayList<>();
        int failed = 0;
        try (Database db = Database.open(jdbcUrl);
             TransparencyLog other = new TransparencyLog(db, SigningKey.generate("bench-log.example"), Clock.systemUTC(), new SecureRandom(),
                     Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT);
             var waiter = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            Thread.sleep(200);
            for (int k = 0; k < o.idle; k++) {
                int i = o.count + o.idle + k;
                String ref = w.refs[i];
                java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
                var seenByLeader = waiter.submit(() -> {
                    waiting.countDown();
                    Optional<Long> index = leader.awaitIndex(ref, Duration.ofSeconds(10));
                    return index.isPresent() ? System.nanoTime() : -1L;
                });
                waiting.await();
                other.append(w.data[i], ref);
                long appended = System.nanoTime();
                Optional<Long> index = other.awaitIndex(ref, Duration.ofSeconds(10));
                long seenThere = System.nanoTime();
                long seenLeader = seenByLeader.get();
                if (index.isEmpty() || seenLeader < 0) {
                    failed++;
                    continue;
                }
                atLeader.add(Math.max(0, seenLeader - appended));
                atThatInstance.add(seenThere - appended);
                Thread.sleep(10);
            }
        }
        ObjectNode r = latencies(o.idle, failed, "leaderMs", atLeader, "thatInstanceMs", atThatInstance);
        System.out.printf("idle, appended by another instance: until the leader published ms %s; until that instance knew %s%n",
                r.get("leaderMs"), r.get("thatInstanceMs"));
        return r;
    }

    /** The summary of an idle measurement: how many appends, how many failed, and two latencies' percentiles. */
    static ObjectNode latencies(int appends, int failed, String first, List<Long> firstNanos, String second, List<Long> secondNanos) {
        ObjectNode r = Json.object();
        r.put("appends", appends);
        r.put("failed", failed);
        r.set(first, percentiles(firstNanos));
        r.set(second, percentiles(secondNanos));
        return r;
    }

    static ObjectNode percentiles(List<Long> nanos) {
        ObjectNode p = Json.object();
        if (nanos.isEmpty()) {
            p.put("n", 0);
            return p;
        }
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        p.put("n", a.length);
        p.put("p50", ms(at(a, 0.50)));
        p.put("p90", ms(at(a, 0.90)));
        p.put("p99", ms(at(a, 0.99)));
        p.put("max", ms(a[a.length - 1]));
        p.put("mean", ms((long) Arrays.stream(a).average().orElse(0)));
        return p;
    }

    /** Nearest-rank percentile. */
    static long at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    // ---------------------------------------------------------------- plumbing

    static Options parse(String[] args) {
        List<String> positional = new ArrayList<>();
        int threads = 4, seconds = 60, sample = 100, idle = 200, senders = 4;
        boolean pgSync = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--senders" -> senders = Integer.parseInt(args[++i]);
                case "--pg-sync" -> pgSync = !"off".equals(args[++i]);
                default -> positional.add(args[i]);
            }
        }
        String backend = positional.isEmpty() ? "both" : positional.get(0);
        int count = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 200_000;
        List<String> backends = switch (backend) {
            case "both" -> List.of("sqlite", "postgresql");
            case "sqlite", "postgresql" -> List.of(backend);
            default -> throw new IllegalArgumentException("backend must be sqlite, postgresql or both, not " + backend);
        };
        return new Options(backends, count, threads, seconds, sample, idle, senders, pgSync);
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
