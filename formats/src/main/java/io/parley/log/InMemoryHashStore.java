package io.parley.log;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A complete in-memory log tree: every stored hash, level by level, grown with {@link TreeAppender}. Meant for
 * tests, tools and clients that rebuild a small tree locally; a node persists the same {@link StoredHash}es in its
 * database instead. Thread-safe by synchronizing every method.
 */
public final class InMemoryHashStore implements HashReader {

    private final List<List<byte[]>> levels = new ArrayList<>();
    private Frontier frontier = Frontier.empty();

    /** Appends leaf hashes and returns what changed. */
    public synchronized AppendResult append(List<byte[]> leafHashes) {
        AppendResult result = TreeAppender.append(frontier, leafHashes);
        for (StoredHash h : result.newHashes()) {
            while (levels.size() <= h.level()) levels.add(new ArrayList<>());
            List<byte[]> level = levels.get(h.level());
            if (level.size() != h.index()) throw new IllegalStateException("appender skipped " + h.node());
            level.add(h.hash());
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
        if (level < levels.size() && index >= 0 && index < levels.get(level).size()) {
            return levels.get(level).get((int) index);
        }
        throw new NoSuchElementException("no stored hash at (" + level + ", " + index + ") in a tree of size "
                + frontier.size());
    }
}
