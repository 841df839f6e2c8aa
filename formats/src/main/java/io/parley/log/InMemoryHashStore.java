package io.parley.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A complete in-memory log tree: every stored hash, level by level, grown with {@link TreeAppender}. Meant for
 * tests, tools and clients that rebuild a small tree locally; a node persists the same {@link StoredHash}es in its
 * database instead. Thread-safe by synchronizing every method.
 *
 * <p>Each level is flat: its hashes back to back in chunks of {@value #CHUNK} hashes (so no object per hash and no
 * array larger than 1 MiB), and a proof's nodes are copied out under one lock.
 */
public final class InMemoryHashStore implements HashReader {
    private static final int HASH = Rfc6962.HASH_SIZE;
    private static final int CHUNK_BITS = 15;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /** levels.get(l).get(c) holds hashes c * CHUNK ... of level l; counts[l] how many are stored. */
    private final List<List<byte[]>> levels = new ArrayList<>();
    private long[] counts = new long[0];
    private Frontier frontier = Frontier.empty();

    /** Appends leaf hashes and returns what changed. */
    public synchronized AppendResult append(List<byte[]> leafHashes) {
        AppendResult result = TreeAppender.append(frontier, leafHashes);
        for (StoredHash h : result.newHashes()) {
            int level = h.level();
            while (levels.size() <= level) levels.add(new ArrayList<>());
            if (counts.length <= level) counts = Arrays.copyOf(counts, level + 1);
            if (counts[level] != h.index()) throw new IllegalStateException("appender skipped " + h.node());
            List<byte[]> chunks = levels.get(level);
            int slot = (int) (h.index() & (CHUNK - 1));
            if (slot == 0) chunks.add(new byte[CHUNK * HASH]);
            System.arraycopy(h.hash(), 0, chunks.get(chunks.size() - 1), slot * HASH, HASH);
            counts[level]++;
        }
        frontier = result.frontier();
        return result;
    }

    /** Hashes each entry as an RFC 6962 leaf and appends it. */
    public synchronized AppendResult appendEntries(List<byte[]> entries) {
        List<byte[]> leaves = new ArrayList<>(entries.size());
        Rfc6962 hasher = Rfc6962.forThisThread();
        for (byte[] e : entries) leaves.add(hasher.hashLeaf(e));
        return append(leaves);
    }

    public synchronized long size() {
        return frontier.size();
    }

    public synchronized Frontier frontier() {
        return frontier;
    }

    public synchronized byte[] root() {
        return frontier.root();
    }

    @Override
    public synchronized byte[] hash(int level, long index) {
        byte[] out = new byte[HASH];
        copy(level, index, out, 0);
        return out;
    }

    @Override
    public synchronized void copyHashes(int[] levels, long[] indexes, int count, byte[] out) {
        for (int i = 0; i < count; i++) copy(levels[i], indexes[i], out, i * HASH);
    }

    private void copy(int level, long index, byte[] out, int offset) {
        if (level < 0 || level >= counts.length || index < 0 || index >= counts[level]) {
            throw new NoSuchElementException("no stored hash at (" + level + ", " + index + ") in a tree of size "
                    + frontier.size());
        }
        byte[] chunk = levels.get(level).get((int) (index >>> CHUNK_BITS));
        System.arraycopy(chunk, (int) (index & (CHUNK - 1)) * HASH, out, offset, HASH);
    }
}
