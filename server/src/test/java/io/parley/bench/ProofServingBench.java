package io.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.parley.identity.SigningKey;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.TreeHash;
import io.parley.store.Database;
import io.parley.transparency.LogStore;
import io.parley.transparency.StoredLogBuilder;
import io.parley.transparency.TransparencyLog;
import io.parley.worker.Ticker;

/**
 * Proofs served by a node's {@link TransparencyLog} from its stored tiles (issue 15: at least 100 k inclusion proofs/s
 * from stored tiles with a warm cache), on one thread, over a real SQLite log of {@code leaves} entries (1,000,000 by
 * default). The log's tiles and checkpoints are written through the sequencer's own batch write
 * ({@code LogStore.commitBatch}) in batches of 65,536, the log is opened with its default settings (a 64 MiB tile
 * cache), and every tile is read once before measuring, so what is measured is the warm path: the size check,
 * cache lookups of expanded tiles and the proof's hashing.
 *
 * <ul>
 * <li>{@code inclusionProof}: a random leaf against the whole tree (a receipt against the newest checkpoint);</li>
 * <li>{@code inclusionProofRandomSize}: a random leaf of a random earlier size (a receipt against an older,
 * cosigned checkpoint);</li>
 * <li>{@code consistencyProof}: random {@code 1 <= old < new <= leaves} (what a witness asks for).</li>
 * </ul>
 *
 * <pre>./parley bench ProofServingBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class ProofServingBench {
    private static final int CASES = 4096;
    private static final int MASK = CASES - 1;

    @Param({"1000000"})
    public long leaves;

    private Path dir;
    private Database db;
    private TransparencyLog log;
    private final long[] index = new long[CASES];
    private final long[] size = new long[CASES];
    private final long[] sizeIndex = new long[CASES];
    private final long[] oldSize = new long[CASES];
    private final long[] newSize = new long[CASES];
    private int cursor;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("parley-proof-serving");
        db = Database.open("jdbc:sqlite:" + dir.resolve("log.db"));
        SigningKey key = SigningKey.generate("proofs.example");
        long t0 = System.nanoTime();
        StoredLogBuilder builder = new StoredLogBuilder(new LogStore(db), key, false);
        builder.growTo(leaves, 65_536);
        System.out.printf("%nbuilt a stored log of %,d leaves in %.1f s%n", leaves, (System.nanoTime() - t0) / 1e9);
        log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT);
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < CASES; i++) {
            index[i] = random.nextLong(leaves);
            size[i] = 1 + random.nextLong(leaves);
            sizeIndex[i] = random.nextLong(size[i]);
            newSize[i] = 2 + random.nextLong(leaves - 1);
            oldSize[i] = 1 + random.nextLong(newSize[i] - 1);
        }
        // Warm: every level-0 tile once, through proofs (which also loads the upper tiles); then check a few proofs.
        long t1 = System.nanoTime();
        for (long i = 0; i < leaves; i += 256) log.inclusionProof(i, leaves);
        byte[] root = log.latest().orElseThrow().root();
        for (int i = 0; i < 64; i++) {
            MerkleProofs.verifyInclusion(LogEntry.leafHash(StoredLogBuilder.item(index[i])), index[i], leaves,
                    log.inclusionProof(index[i], leaves), root);
            MerkleProofs.verifyConsistency(oldSize[i], newSize[i], TreeHash.of(builder.reference(), oldSize[i]),
                    TreeHash.of(builder.reference(), newSize[i]), log.consistencyProof(oldSize[i], newSize[i]));
        }
        System.out.printf("warmed the tile cache in %.1f s%n", (System.nanoTime() - t1) / 1e9);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        log.close();
        db.close();
        AppendLoad.deleteTree(dir);
    }

    private int next() {
        return cursor++ & MASK;
    }

    @Benchmark
    public List<byte[]> inclusionProof() {
        return log.inclusionProof(index[next()], leaves);
    }

    @Benchmark
    public List<byte[]> inclusionProofRandomSize() {
        int i = next();
        return log.inclusionProof(sizeIndex[i], size[i]);
    }

    @Benchmark
    public List<byte[]> consistencyProof() {
        int i = next();
        return log.consistencyProof(oldSize[i], newSize[i]);
    }
}
