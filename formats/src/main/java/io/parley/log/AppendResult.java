package io.parley.log;

import java.util.List;

/**
 * What appending leaves produced: the new right edge (keep it for the next append), every stored hash that became
 * complete (persist them all, in one transaction with the leaves), and the new root (to put in a checkpoint).
 */
public record AppendResult(Frontier frontier, List<StoredHash> newHashes, byte[] root) {

    public AppendResult {
        newHashes = List.copyOf(newHashes);
        Rfc6962.requireHash(root, "root");
    }

    /** The tree size after the append. */
    public long size() {
        return frontier.size();
    }
}
