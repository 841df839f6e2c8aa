package io.parley.log;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One hash to persist: the hash of the complete subtree at {@code (level, index)}. Produced by {@link TreeAppender}
 * and consumed by storage; once written it never changes (see {@link TreeNode}). The array is not copied — this is
 * a bulk type on the append path — so neither side may modify it.
 */
public record StoredHash(int level, long index, byte[] hash) {

    public StoredHash {
        new TreeNode(level, index);
        Rfc6962.requireHash(hash, "stored hash");
    }

    public TreeNode node() {
        return new TreeNode(level, index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredHash s && s.level == level && s.index == index && Arrays.equals(s.hash, hash);
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(level) * 31 + Long.hashCode(index)) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "StoredHash(" + level + ", " + index + ", " + HexFormat.of().formatHex(hash) + ")";
    }
}
