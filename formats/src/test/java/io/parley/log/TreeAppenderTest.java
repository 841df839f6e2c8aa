package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TreeAppenderTest {

    static final ReferenceMerkle REFERENCE = ReferenceMerkle.ofEntries(1100);

    @Test
    void everyCompleteSubtreeIsStoredWithItsMerkleTreeHash() {
        InMemoryHashStore store = new InMemoryHashStore();
        store.append(REFERENCE.leafHashList().subList(0, 1100));
        for (int level = 0; (1 << level) <= 1100; level++) {
            for (int index = 0; (index + 1) << level <= 1100; index++) {
                assertArrayEquals(REFERENCE.mth(index << level, (index + 1) << level), store.hash(level, index),
                        "stored hash (" + level + ", " + index + ")");
            }
        }
    }

    @Test
    void newHashesAreExactlyTheSubtreesTheNewSizeCompletes() {
        int[] sizes = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 63, 64, 100, 255, 256, 257, 511, 1000, 1024, 1100};
        for (int a = 0; a < sizes.length; a++) {
            for (int b = a; b < sizes.length; b++) {
                int oldSize = sizes[a];
                int newSize = sizes[b];
                Frontier edge = Frontier.read((l, i) -> REFERENCE.mth((int) i << l, (int) (i + 1) << l), oldSize);
                AppendResult r = TreeAppender.append(edge, REFERENCE.leafHashList().subList(oldSize, newSize));
                Set<TreeNode> expected = new HashSet<>();
                for (int level = 0; level < 12; level++) {
                    for (long i = oldSize >>> level; i < newSize >>> level; i++) expected.add(new TreeNode(level, i));
                }
                Set<TreeNode> got = new HashSet<>();
                for (StoredHash h : r.newHashes()) {
                    assertTrue(got.add(h.node()), "stored twice: " + h.node());
                    assertArrayEquals(REFERENCE.mth((int) h.node().firstLeaf(), (int) h.node().endLeaf()), h.hash());
                }
                assertEquals(expected, got, "appending " + oldSize + " -> " + newSize);
                assertArrayEquals(REFERENCE.root(newSize), r.root());
                assertEquals(newSize, r.size());
            }
        }
    }

    @Test
    void frontierKeptByTheAppenderEqualsTheFrontierReadBackFromStorage() {
        InMemoryHashStore store = new InMemoryHashStore();
        for (int n = 1; n <= 600; n++) {
            store.append(List.of(REFERENCE.leafHashList().get(n - 1)));
            Frontier kept = store.frontier();
            Frontier read = Frontier.read(store, n);
            assertEquals(kept.nodes(), read.nodes());
            for (int i = 0; i < kept.hashes().size(); i++) assertArrayEquals(kept.hashes().get(i), read.hashes().get(i));
            assertArrayEquals(REFERENCE.root(n), kept.root(), "root of size " + n);
        }
    }

    @Test
    void treeHashOfEveryEarlierSizeComesFromTheCurrentStore() {
        InMemoryHashStore store = new InMemoryHashStore();
        store.append(REFERENCE.leafHashList());
        for (int n = 0; n <= 1100; n++) assertArrayEquals(REFERENCE.root(n), TreeHash.of(store, n), "size " + n);
    }

    @Test
    void appendingNothingKeepsTheTreeAndStoresNothing() {
        AppendResult empty = TreeAppender.append(Frontier.empty(), List.of());
        assertEquals(0, empty.size());
        assertTrue(empty.newHashes().isEmpty());
        assertArrayEquals(Rfc6962.emptyRoot(), empty.root());

        Frontier edge = TreeAppender.append(Frontier.empty(), REFERENCE.leafHashList().subList(0, 5)).frontier();
        AppendResult same = TreeAppender.append(edge, List.of());
        assertEquals(5, same.size());
        assertTrue(same.newHashes().isEmpty());
        assertArrayEquals(REFERENCE.root(5), same.root());
    }

    @Test
    void frontierMustHaveOneHashPerSetBitOfTheSize() {
        byte[] h = new byte[32];
        assertThrows(IllegalArgumentException.class, () -> new Frontier(3, List.of(h)));
        assertThrows(IllegalArgumentException.class, () -> new Frontier(4, List.of(h, h)));
        assertThrows(IllegalArgumentException.class, () -> new Frontier(-1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Frontier(1, List.of(new byte[31])));
        assertEquals(List.of(new TreeNode(2, 0), new TreeNode(1, 2), new TreeNode(0, 6)), new Frontier(7, List.of(h, h, h)).nodes());
    }

    @Test
    void appenderRejectsLeafHashesOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> TreeAppender.append(Frontier.empty(), List.of(new byte[20])));
    }

    @Test
    void treeNodeAddressesItsLeafRange() {
        TreeNode n = new TreeNode(3, 5);
        assertEquals(40, n.firstLeaf());
        assertEquals(48, n.endLeaf());
        assertTrue(n.isCompleteIn(48));
        assertTrue(!n.isCompleteIn(47));
        assertEquals(Long.MAX_VALUE, new TreeNode(63, 0).endLeaf());
        assertThrows(IllegalArgumentException.class, () -> new TreeNode(64, 0));
        assertThrows(IllegalArgumentException.class, () -> new TreeNode(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new TreeNode(62, 2));
    }
}
