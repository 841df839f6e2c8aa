package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TreeAppenderProperties {

    static final ReferenceMerkle REFERENCE = TreeAppenderTest.REFERENCE;

    @Property(tries = 200)
    void howLeavesAreBatchedDoesNotChangeTheTree(@ForAll @Size(max = 12) List<@IntRange(min = 0, max = 90) Integer> batches) {
        Frontier edge = Frontier.empty();
        List<StoredHash> all = new ArrayList<>();
        int size = 0;
        for (int b : batches) {
            int end = Math.min(1100, size + b);
            AppendResult r = TreeAppender.append(edge, REFERENCE.leafHashList().subList(size, end));
            all.addAll(r.newHashes());
            edge = r.frontier();
            size = end;
            assertArrayEquals(REFERENCE.root(size), r.root());
        }
        InMemoryHashStore oneByOne = new InMemoryHashStore();
        List<StoredHash> expected = new ArrayList<>();
        for (int i = 0; i < size; i++) expected.addAll(oneByOne.append(List.of(REFERENCE.leafHashList().get(i))).newHashes());
        assertEquals(expected, all);
    }
}
