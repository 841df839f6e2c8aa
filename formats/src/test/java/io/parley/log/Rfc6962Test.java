package io.parley.log;

import static io.parley.log.Hex.h;
import static io.parley.log.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class Rfc6962Test {

    /** The Certificate Transparency reference leaves (used by RFC 6962 implementations' tests). */
    static final List<byte[]> CT_LEAVES = List.of(h(""), h("00"), h("10"), h("2021"), h("3031"), h("40414243"),
            h("5051525354555657"), h("606162636465666768696a6b6c6d6e6f"));

    /** Published roots of the CT reference tree for sizes 0 to 8. */
    static final List<String> CT_ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    static InMemoryHashStore ctTree() {
        InMemoryHashStore store = new InMemoryHashStore();
        store.appendEntries(CT_LEAVES);
        return store;
    }

    @Test
    void emptyTreeRootIsSha256OfTheEmptyString() {
        assertEquals(CT_ROOTS.get(0), hex(Rfc6962.emptyRoot()));
        assertTrue(Rfc6962.isEmptyRoot(h(CT_ROOTS.get(0))));
        assertFalse(Rfc6962.isEmptyRoot(h(CT_ROOTS.get(1))));
    }

    @Test
    void leafHashOfTheEmptyEntryIsSha256OfZeroByte() {
        assertEquals(CT_ROOTS.get(1), hex(Rfc6962.leafHash(new byte[0])));
    }

    @Test
    void rootsOfTheCertificateTransparencyReferenceTreeMatchPublishedValues() {
        InMemoryHashStore store = ctTree();
        for (int n = 0; n <= 8; n++) {
            assertEquals(CT_ROOTS.get(n), hex(TreeHash.of(store, n)), "size " + n);
        }
        assertEquals(CT_ROOTS.get(8), hex(store.root()));
    }

    @Test
    void leafHashMatchesGoChecksumDatabaseRecordHash() {
        // golang.org/x/mod/sumdb/tlog: RecordHash("hello world") formats as this base64 in the tree note test.
        byte[] hash = Rfc6962.leafHash("hello world".getBytes(StandardCharsets.UTF_8));
        assertEquals("TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=", Base64.getEncoder().encodeToString(hash));
    }

    @Test
    void nodeHashPrefixesOneAndLeafHashPrefixesZero() {
        byte[] l = Rfc6962.leafHash(h("00"));
        byte[] r = Rfc6962.leafHash(h("10"));
        assertArrayEquals(ReferenceMerkle.node(l, r), Rfc6962.nodeHash(l, r));
        assertEquals(CT_ROOTS.get(2), hex(Rfc6962.nodeHash(Rfc6962.leafHash(h("")), Rfc6962.leafHash(h("00")))));
        byte[] concatenated = new byte[64];
        System.arraycopy(l, 0, concatenated, 0, 32);
        System.arraycopy(r, 0, concatenated, 32, 32);
        assertFalse(hex(Rfc6962.leafHash(concatenated)).equals(hex(Rfc6962.nodeHash(l, r))),
                "a 64-byte leaf must not hash like the interior node with the same bytes");
    }

    @Test
    void allocationFreeVariantsAgreeWithAllocatingOnes() {
        Rfc6962 hasher = new Rfc6962();
        byte[] data = "some entry bytes".getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[100];
        hasher.hashLeaf(data, 0, data.length, buf, 3);
        byte[] leaf = hasher.hashLeaf(data);
        assertArrayEquals(leaf, java.util.Arrays.copyOfRange(buf, 3, 35));
        assertArrayEquals(Rfc6962.leafHash(data), leaf);
        assertArrayEquals(hasher.hashLeaf(("xx" + "some entry bytes").getBytes(StandardCharsets.UTF_8), 2, data.length), leaf);

        byte[] other = Rfc6962.leafHash(h("ff"));
        byte[] expected = hasher.hashChildren(leaf, other);
        byte[] work = new byte[64];
        System.arraycopy(leaf, 0, work, 0, 32);
        System.arraycopy(other, 0, work, 32, 32);
        hasher.hashChildren(work, 0, work, 32, work, 0); // output overlapping the left input
        assertArrayEquals(expected, java.util.Arrays.copyOf(work, 32));
    }

    @Test
    void nodeHashRejectsInputsThatAreNotHashes() {
        assertThrows(IllegalArgumentException.class, () -> Rfc6962.nodeHash(new byte[31], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> Rfc6962.nodeHash(new byte[32], new byte[33]));
    }

    @Test
    void perThreadInstancesGiveTheSameResultsUnderConcurrency() throws Exception {
        ReferenceMerkle reference = ReferenceMerkle.ofEntries(64);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        for (int i = 0; i + 1 < 64; i += 2) {
                            byte[] l = Rfc6962.leafHash(ReferenceMerkle.entry(i));
                            byte[] r = Rfc6962.leafHash(ReferenceMerkle.entry(i + 1));
                            if (!java.util.Arrays.equals(reference.mth(i, i + 2), Rfc6962.nodeHash(l, r))) return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) assertTrue(f.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
