package io.parley.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.parley.log.HashReader;
import io.parley.log.InMemoryHashStore;
import io.parley.log.MerkleProofs;
import io.parley.log.ProofException;
import io.parley.log.Rfc6962;
import io.parley.log.TileCoordinates;
import io.parley.log.TileHashReader;
import io.parley.log.Tiles;
import io.parley.log.TreeHash;

/**
 * Merkle proof generation and verification on one thread, over an {@link InMemoryHashStore} of {@code leaves}
 * leaves (1,000,000 by default), with indexes and sizes drawn from pre-generated random arrays so the cost of
 * choosing them stays out of the measurement.
 *
 * <ul>
 * <li>{@code inclusionProof}: audit path of a random leaf in the whole tree (what a receipt against the newest
 * checkpoint needs);</li>
 * <li>{@code inclusionProofRandomSize}: random tree size in [1, leaves], random leaf in it;</li>
 * <li>{@code consistencyProof}: random 1 &lt;= old &lt; new &lt;= leaves;</li>
 * <li>{@code inclusionProofFromTiles}: as {@code inclusionProof} but through a {@link TileHashReader} over the
 * tree's C2SP tiles held in a HashMap — what a client computes from fetched tiles, which rebuilds hashes at levels
 * between tile levels from up to 128 tile hashes per proof element (the node itself serves proofs from expanded,
 * cached tiles instead: {@link ProofServingBench});</li>
 * <li>{@code verifyInclusion} / {@code verifyConsistency}: of pre-generated proofs against pre-computed roots.</li>
 * </ul>
 *
 * <p>Goals: at least 200k proofs/s generated and 100k/s verified per core; consistency-proof generation at least as
 * fast as Go's {@code x/mod/sumdb/tlog} per core (issue 15: 560–630 k/s on the 2-core development machine).
 *
 * <pre>JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bash bench/run ProofBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class ProofBench {
    /** How many pre-generated cases to cycle through; a power of two. */
    private static final int CASES = 4096;
    private static final int MASK = CASES - 1;

    @Param({"1000000"})
    public long leaves;

    private InMemoryHashStore store;
    private HashReader tileReader;

    // inclusion against the whole tree
    private long[] inclusionIndex;
    // inclusion at random sizes
    private long[] randomSize;
    private long[] randomSizeIndex;
    // consistency
    private long[] oldSize;
    private long[] newSize;

    // pre-generated proofs to verify
    private byte[][] leafHash;
    private List<byte[]>[] inclusion;
    private byte[][] inclusionRoot;
    private List<byte[]>[] consistency;
    private byte[][] oldRoot;
    private byte[][] newRoot;

    private int cursor;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setup() throws ProofException {
        store = new InMemoryHashStore();
        SplittableRandom random = new SplittableRandom(20260101);
        byte[] entry = new byte[64];
        int chunk = 65536;
        for (long done = 0; done < leaves; ) {
            int n = (int) Math.min(chunk, leaves - done);
            List<byte[]> hashes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                random.nextBytes(entry);
                hashes.add(Rfc6962.leafHash(entry));
            }
            store.append(hashes);
            done += n;
        }

        Map<TileCoordinates, byte[]> tiles = new HashMap<>();
        for (TileCoordinates t : Tiles.all(leaves)) tiles.put(t, Tiles.read(store, t));
        tileReader = new TileHashReader(leaves, tiles::get);

        inclusionIndex = new long[CASES];
        randomSize = new long[CASES];
        randomSizeIndex = new long[CASES];
        oldSize = new long[CASES];
        newSize = new long[CASES];
        for (int i = 0; i < CASES; i++) {
            inclusionIndex[i] = random.nextLong(leaves);
            randomSize[i] = 1 + random.nextLong(leaves);
            randomSizeIndex[i] = random.nextLong(randomSize[i]);
            newSize[i] = 2 + random.nextLong(leaves - 1);
            oldSize[i] = 1 + random.nextLong(newSize[i] - 1);
        }

        // Proofs to verify: inclusion at random sizes, consistency between random sizes.
        leafHash = new byte[CASES][];
        inclusion = new List[CASES];
        inclusionRoot = new byte[CASES][];
        consistency = new List[CASES];
        oldRoot = new byte[CASES][];
        newRoot = new byte[CASES][];
        for (int i = 0; i < CASES; i++) {
            leafHash[i] = store.hash(0, randomSizeIndex[i]);
            inclusion[i] = MerkleProofs.inclusionProof(store, randomSizeIndex[i], randomSize[i]);
            inclusionRoot[i] = TreeHash.of(store, randomSize[i]);
            consistency[i] = MerkleProofs.consistencyProof(store, oldSize[i], newSize[i]);
            oldRoot[i] = TreeHash.of(store, oldSize[i]);
            newRoot[i] = TreeHash.of(store, newSize[i]);
            MerkleProofs.verifyInclusion(leafHash[i], randomSizeIndex[i], randomSize[i], inclusion[i], inclusionRoot[i]);
            MerkleProofs.verifyConsistency(oldSize[i], newSize[i], oldRoot[i], newRoot[i], consistency[i]);
        }
        // The tile path must give the same proofs as the store.
        for (int i = 0; i < 64; i++) {
            List<byte[]> a = MerkleProofs.inclusionProof(store, inclusionIndex[i], leaves);
            List<byte[]> b = MerkleProofs.inclusionProof(tileReader, inclusionIndex[i], leaves);
            for (int j = 0; j < a.size(); j++) {
                if (!java.util.Arrays.equals(a.get(j), b.get(j))) throw new IllegalStateException("tile proof differs");
            }
        }
    }

    private int next() {
        return cursor++ & MASK;
    }

    @Benchmark
    public List<byte[]> inclusionProof() {
        return MerkleProofs.inclusionProof(store, inclusionIndex[next()], leaves);
    }

    @Benchmark
    public List<byte[]> inclusionProofRandomSize() {
        int i = next();
        return MerkleProofs.inclusionProof(store, randomSizeIndex[i], randomSize[i]);
    }

    @Benchmark
    public List<byte[]> consistencyProof() {
        int i = next();
        return MerkleProofs.consistencyProof(store, oldSize[i], newSize[i]);
    }

    @Benchmark
    public List<byte[]> inclusionProofFromTiles() {
        return MerkleProofs.inclusionProof(tileReader, inclusionIndex[next()], leaves);
    }

    @Benchmark
    public int verifyInclusion() throws ProofException {
        int i = next();
        MerkleProofs.verifyInclusion(leafHash[i], randomSizeIndex[i], randomSize[i], inclusion[i], inclusionRoot[i]);
        return i;
    }

    @Benchmark
    public int verifyConsistency() throws ProofException {
        int i = next();
        MerkleProofs.verifyConsistency(oldSize[i], newSize[i], oldRoot[i], newRoot[i], consistency[i]);
        return i;
    }
}
