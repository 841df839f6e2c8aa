package io.parley.bench;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.parley.log.Rfc6962;

/**
 * RFC 6962 leaf and node hashing of 64-byte inputs through {@link Rfc6962} — the allocation-free instance methods
 * (writing into a caller buffer), the allocating instance methods and the allocating static (thread-local) methods —
 * beside a bare {@link MessageDigest} SHA-256 of the very same 65 bytes (0x00 or 0x01 prefix plus 64), both into a
 * buffer and allocating, so the overhead of our layer over the primitive shows in one run.
 *
 * <p>Goal (issue): our rate at least 80% of the raw digest's. Compare {@code leafInto}/{@code nodeInto} with
 * {@code rawLeafInto}/{@code rawNodeInto}, and the allocating variants with {@code rawLeafAlloc}/{@code rawNodeAlloc}.
 *
 * <pre>JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bash bench/run HashingBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HashingBench {
    private Rfc6962 hasher;
    private MessageDigest raw;
    /** The 64-byte leaf entry. */
    private byte[] data;
    private byte[] left;
    private byte[] right;
    /** The same bytes the RFC 6962 functions hash: 0x00 || data and 0x01 || left || right. */
    private byte[] rawLeafInput;
    private byte[] rawNodeInput;
    private byte[] out;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(6962);
        data = new byte[64];
        left = new byte[32];
        right = new byte[32];
        random.nextBytes(data);
        random.nextBytes(left);
        random.nextBytes(right);
        rawLeafInput = new byte[65];
        System.arraycopy(data, 0, rawLeafInput, 1, 64);
        rawNodeInput = new byte[65];
        rawNodeInput[0] = 0x01;
        System.arraycopy(left, 0, rawNodeInput, 1, 32);
        System.arraycopy(right, 0, rawNodeInput, 33, 32);
        out = new byte[32];
        hasher = new Rfc6962();
        try {
            raw = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Same results, or the comparison is meaningless.
        if (!MessageDigest.isEqual(hasher.hashLeaf(data), raw.digest(rawLeafInput))
                || !MessageDigest.isEqual(hasher.hashChildren(left, right), raw.digest(rawNodeInput))) {
            throw new IllegalStateException("Rfc6962 and the raw digest disagree");
        }
    }

    // ---------------------------------------------------------------- leaf hash, SHA-256(0x00 || 64 bytes)

    @Benchmark
    public byte[] leafInto() {
        hasher.hashLeaf(data, 0, data.length, out, 0);
        return out;
    }

    @Benchmark
    public byte[] leafAlloc() {
        return hasher.hashLeaf(data);
    }

    @Benchmark
    public byte[] leafStatic() {
        return Rfc6962.leafHash(data);
    }

    @Benchmark
    public byte[] rawLeafInto() throws DigestException {
        raw.update(rawLeafInput, 0, rawLeafInput.length);
        raw.digest(out, 0, 32);
        return out;
    }

    @Benchmark
    public byte[] rawLeafAlloc() {
        return raw.digest(rawLeafInput);
    }

    // ---------------------------------------------------------------- node hash, SHA-256(0x01 || 32 || 32)

    @Benchmark
    public byte[] nodeInto() {
        hasher.hashChildren(left, 0, right, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] nodeAlloc() {
        return hasher.hashChildren(left, right);
    }

    @Benchmark
    public byte[] nodeStatic() {
        return Rfc6962.nodeHash(left, right);
    }

    @Benchmark
    public byte[] rawNodeInto() throws DigestException {
        raw.update(rawNodeInput, 0, rawNodeInput.length);
        raw.digest(out, 0, 32);
        return out;
    }

    @Benchmark
    public byte[] rawNodeAlloc() {
        return raw.digest(rawNodeInput);
    }
}
