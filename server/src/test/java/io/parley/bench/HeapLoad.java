package io.parley.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.ProofException;
import io.parley.store.Database;
import io.parley.store.LogQueue;
import io.parley.transparency.StoredCheckpoint;
import io.parley.transparency.TransparencyLog;
import io.parley.worker.Ticker;

/**
 * Load tool (not JMH): how much heap a node needs for a large log (issue goal: a 10-million-entry log within 512 MB
 * of heap). Builds a SQLite log of {@code entries} small items (64 bytes, logged as their 32-byte commitments) through the real queue and sequencer:
 * the entries are queued in large transactions ({@code LogQueue.enqueue} inside {@code Database.inTransaction},
 * {@code --enqueue-batch} rows each, as a store queues appends inside its own transaction), and the sequencer
 * group-commits them with the default settings. The producer stays at most {@code --max-queued} entries ahead of
 * the sequencer so that the queue table stays small.
 *
 * <p>At each size in {@code --measure-at} (default every million) and at the end, it waits until everything is
 * sequenced, then serves {@code --proofs} inclusion proofs of random entries against the newest checkpoint (and a
 * tenth as many consistency proofs), verifies a few of them, runs a full GC and reports the used heap. At the end it
 * also closes the log and the database, reopens both on the same file (the state after a restart) and measures
 * again. Run it with {@code -Xmx512m} to show that building, serving and reopening fit in the goal.
 *
 * <p>Prints one line per measurement and writes a JSON summary to {@code bench/results/heap-load-<time>.json}
 * (override the directory with {@code -Dparley.bench.results=DIR}). The database goes to a temp directory that is
 * deleted at the end unless {@code --db FILE} is given; {@code --reopen-only} with {@code --db FILE} skips building
 * and only measures the reopened log (e.g. with a much smaller -Xmx).
 *
 * <p>Run from the repository root (classpath as bench/run builds it, see {@link AppendLoad}):
 * <pre>
 * $JAVA_HOME/bin/java -Xmx512m -cp "target/bench/test-classes:target/bench/classes:$(cat target/bench/classpath.txt)" \
 *     io.parley.bench.HeapLoad 10000000 [--minutes 20] [--proofs 2000] [--measure-at 1000000,2000000,5000000] [--db FILE] [--reopen-only]
 * </pre>
 */
public final class HeapLoad {

    record Options(long entries, double minutes, int proofs, List<Long> measureAt, int enqueueBatch, long maxQueued,
                   Path db, boolean reopenOnly) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf("HeapLoad: entries=%d (64-byte items, 32-byte entries) minutes<=%.0f proofs=%d measure-at=%s, max heap %d MiB, %d cpus, Java %s%n",
                o.entries, o.minutes, o.proofs, o.measureAt, maxHeap >> 20, Runtime.getRuntime().availableProcessors(), Runtime.version());
        Path dir = null;
        Path file = o.db;
        if (file == null) {
            dir = Files.createTempDirectory("parley-heapload");
            file = dir.resolve("log.db");
        }
        String url = "jdbc:sqlite:" + file;
        ObjectNode summary = Json.object();
        summary.put("tool", "io.parley.bench.HeapLoad");
        summary.put("at", Instant.now().toString());
        summary.put("java", Runtime.version().toString());
        summary.put("cpus", Runtime.getRuntime().availableProcessors());
        summary.put("maxHeapMiB", maxHeap >> 20);
        summary.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        summary.put("settings", TransparencyLog.Settings.DEFAULT.toString());
        summary.put("entryBytes", 64);
        ArrayNode measurements = summary.putArray("measurements");
        SigningKey key = SigningKey.generate("heap-log.example");
        try {
            if (!o.reopenOnly) {
                try (Database db = Database.open(url);
                     TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT)) {
                    build(log, db, o, measurements, summary);
                }
            }
            long t0 = System.nanoTime();
            try (Database db = Database.open(url);
                 TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT)) {
                long size = size(log);
                double openSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("reopened the log of %d entries in %.2f s%n", size, openSeconds);
                ObjectNode m = measure("reopened", log, o, 0);
                m.put("openSeconds", openSeconds);
                measurements.add(m);
            }
            summary.put("databaseBytes", databaseBytes(file));
        } finally {
            if (dir != null) AppendLoad.deleteTree(dir);
        }
        Path out = Path.of(System.getProperty("parley.bench.results", "bench/results"));
        Files.createDirectories(out);
        Path json = out.resolve("heap-load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
        System.out.println("wrote " + json);
        System.exit(0);
    }

    static void build(TransparencyLog log, Database db, Options o, ArrayNode measurements, ObjectNode summary) throws Exception {
        long start = System.nanoTime();
        long deadline = start + (long) (o.minutes * 60e9);
        long enqueued = size(log);
        long lastReport = start;
        long lastReportSize = enqueued;
        int nextMeasure = 0;
        while (nextMeasure < o.measureAt.size() && o.measureAt.get(nextMeasure) <= enqueued) nextMeasure++;
        long measuring = 0; // nanos spent in measurements, excluded from the build rate
        boolean timedOut = false;
        while (enqueued < o.entries) {
            if (System.nanoTime() > deadline) {
                timedOut = true;
                System.out.printf("time limit of %.0f minutes reached at %d entries queued%n", o.minutes, enqueued);
                break;
            }
            long target = Math.min(o.entries, nextMeasure < o.measureAt.size() ? o.measureAt.get(nextMeasure) : o.entries);
            int n = (int) Math.min(o.enqueueBatch, target - enqueued);
            long first = enqueued;
            Instant now = Instant.now();
            db.inTransaction(c -> {
                for (int i = 0; i < n; i++) {
                    long index = first + i;
                    LogQueue.enqueue(c, entry(index), "h" + index, now);
                }
                return null;
            });
            log.poke();
            enqueued += n;
            while (enqueued - size(log) > o.maxQueued) LockSupport.parkNanos(1_000_000);
            long t = System.nanoTime();
            if (t - lastReport > 10_000_000_000L) {
                long s = size(log);
                System.out.printf("  %6.0f s: %,d sequenced (%,.0f/s lately), heap used %d MiB%n", (t - start) / 1e9, s,
                        (s - lastReportSize) / ((t - lastReport) / 1e9), usedHeapNoGc() >> 20);
                lastReport = t;
                lastReportSize = s;
            }
            if (enqueued == target && nextMeasure < o.measureAt.size() && target == o.measureAt.get(nextMeasure)) {
                waitSequenced(log, enqueued);
                long m0 = System.nanoTime();
                double buildSeconds = (m0 - start - measuring) / 1e9;
                ObjectNode m = measure("building", log, o, buildSeconds);
                measurements.add(m);
                measuring += System.nanoTime() - m0;
                nextMeasure++;
            }
        }
        waitSequenced(log, enqueued);
        double buildSeconds = (System.nanoTime() - start - measuring) / 1e9;
        long size = size(log);
        System.out.printf("built %,d entries in %.0f s (%,.0f entries/s, measurements excluded)%n", size, buildSeconds, size / buildSeconds);
        summary.put("built", size);
        summary.put("buildSeconds", buildSeconds);
        summary.put("buildEntriesPerSecond", size / buildSeconds);
        summary.put("timedOut", timedOut);
        summary.put("checkpoints", db.queryOne("SELECT COUNT(*) FROM log_checkpoints", rs -> rs.getLong(1)).orElse(0L));
        if (measurements.isEmpty() || measurements.get(measurements.size() - 1).get("size").asLong() != size) {
            measurements.add(measure("built", log, o, buildSeconds));
        }
    }

    /** Serves proofs against the newest checkpoint, then reports the heap after a full GC. */
    static ObjectNode measure(String phase, TransparencyLog log, Options o, double buildSeconds) throws ProofException, InterruptedException {
        StoredCheckpoint cp = log.latest().orElseThrow();
        long size = cp.size();
        SplittableRandom random = new SplittableRandom(size);
        long t0 = System.nanoTime();
        for (int i = 0; i < o.proofs; i++) {
            long index = random.nextLong(size);
            List<byte[]> proof = log.inclusionProof(index, size);
            if (i < 20) MerkleProofs.verifyInclusion(LogEntry.leafHash(entry(index)), index, size, proof, cp.root());
        }
        double inclusionSeconds = (System.nanoTime() - t0) / 1e9;
        int consistencyCount = Math.max(1, o.proofs / 10);
        long t1 = System.nanoTime();
        for (int i = 0; i < consistencyCount; i++) log.consistencyProof(1 + random.nextLong(size), size);
        double consistencySeconds = (System.nanoTime() - t1) / 1e9;
        long gcBefore = gcCount();
        MemoryUsage heap = heapAfterFullGc();
        ObjectNode m = Json.object();
        m.put("phase", phase);
        m.put("size", size);
        if (buildSeconds > 0) m.put("buildSeconds", buildSeconds);
        m.put("inclusionProofsPerSecond", o.proofs / inclusionSeconds);
        m.put("consistencyProofsPerSecond", consistencyCount / consistencySeconds);
        m.put("heapUsedAfterGcMiB", heap.getUsed() / 1048576.0);
        m.put("heapCommittedMiB", heap.getCommitted() / 1048576.0);
        m.put("gcsDuringMeasurement", gcCount() - gcBefore);
        System.out.printf("%-9s size %,11d%s: %,.0f inclusion proofs/s, %,.0f consistency proofs/s; heap used after full GC %.1f MiB (committed %.0f MiB)%n",
                phase, size, buildSeconds > 0 ? String.format(" after %.0f s", buildSeconds) : "",
                o.proofs / inclusionSeconds, consistencyCount / consistencySeconds, heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0);
        return m;
    }

    /** The 64-byte item logged at {@code index}: deterministic, so proofs can be checked against recomputed leaf hashes. */
    static byte[] entry(long index) {
        ByteBuffer b = ByteBuffer.allocate(64);
        SplittableRandom r = new SplittableRandom(index * 0x9E3779B97F4A7C15L);
        b.putLong(index);
        for (int i = 0; i < 7; i++) b.putLong(r.nextLong());
        return b.array();
    }

    static long size(TransparencyLog log) {
        return log.latest().map(StoredCheckpoint::size).orElse(0L);
    }

    static void waitSequenced(TransparencyLog log, long size) {
        while (size(log) < size) LockSupport.parkNanos(1_000_000);
    }

    static MemoryUsage heapAfterFullGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    static long usedHeapNoGc() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
        return n;
    }

    static long databaseBytes(Path file) {
        long total = 0;
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                total += Files.size(Path.of(file + suffix));
            } catch (java.io.IOException ignored) {
                // no such file
            }
        }
        return total;
    }

    static Options parse(String[] args) {
        long entries = 10_000_000L;
        double minutes = 20;
        int proofs = 2000;
        List<Long> measureAt = null;
        int enqueueBatch = 10_000;
        long maxQueued = 100_000;
        Path db = null;
        boolean reopenOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--proofs" -> proofs = Integer.parseInt(args[++i]);
                case "--measure-at" -> {
                    measureAt = new ArrayList<>();
                    for (String s : args[++i].split(",")) if (!s.isBlank()) measureAt.add(Long.parseLong(s.trim()));
                }
                case "--enqueue-batch" -> enqueueBatch = Integer.parseInt(args[++i]);
                case "--max-queued" -> maxQueued = Long.parseLong(args[++i]);
                case "--db" -> db = Path.of(args[++i]);
                case "--reopen-only" -> reopenOnly = true;
                default -> entries = Long.parseLong(args[i].replace("_", ""));
            }
        }
        if (reopenOnly && db == null) throw new IllegalArgumentException("--reopen-only needs --db FILE");
        if (measureAt == null) {
            measureAt = new ArrayList<>();
            for (long m = 1_000_000; m < entries; m += 1_000_000) measureAt.add(m);
        }
        measureAt.sort(null);
        return new Options(entries, minutes, proofs, measureAt, enqueueBatch, maxQueued, db, reopenOnly);
    }
}
