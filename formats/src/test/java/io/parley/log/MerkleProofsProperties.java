package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MerkleProofsProperties {

    static final ReferenceMerkle REFERENCE = MerkleProofsTest.REFERENCE;
    static final InMemoryHashStore STORE = MerkleProofsTest.STORE;

    @Property(tries = 1000)
    void inclusionProofOfAnyLeafInAnyTreeVerifiesAndEqualsTheReference(
            @ForAll @IntRange(min = 1, max = 2000) int size, @ForAll @IntRange(min = 0, max = 1999) int index) throws Exception {
        Assume.that(index < size);
        List<byte[]> proof = MerkleProofs.inclusionProof(STORE, index, size);
        assertEquals(Hex.hexes(REFERENCE.path(index, size)), Hex.hexes(proof));
        MerkleProofs.verifyInclusion(REFERENCE.leafHashList().get(index), index, size, proof, REFERENCE.root(size));
    }

    @Property(tries = 1000)
    void consistencyProofBetweenAnyTwoSizesVerifiesAndEqualsTheReference(
            @ForAll @IntRange(min = 0, max = 2000) int oldSize, @ForAll @IntRange(min = 0, max = 2000) int newSize) throws Exception {
        Assume.that(oldSize <= newSize);
        List<byte[]> proof = MerkleProofs.consistencyProof(STORE, oldSize, newSize);
        assertEquals(Hex.hexes(REFERENCE.proof(oldSize, newSize)), Hex.hexes(proof));
        MerkleProofs.verifyConsistency(oldSize, newSize, REFERENCE.root(oldSize), REFERENCE.root(newSize), proof);
    }

    @Property(tries = 1000)
    void anySingleBitFlipInAConsistencyProofIsRejected(
            @ForAll @IntRange(min = 1, max = 1999) int oldSize, @ForAll @IntRange(min = 2, max = 2000) int newSize,
            @ForAll @IntRange(min = 0, max = 63) int hash, @ForAll @IntRange(min = 0, max = 255) int bit) {
        Assume.that(oldSize < newSize);
        List<byte[]> proof = new ArrayList<>(MerkleProofs.consistencyProof(STORE, oldSize, newSize));
        int h = hash % proof.size();
        byte[] flipped = proof.get(h).clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(h, flipped);
        assertThrows(ProofException.class, () -> MerkleProofs.verifyConsistency(oldSize, newSize,
                REFERENCE.root(oldSize), REFERENCE.root(newSize), proof));
    }

    @Property(tries = 500)
    void aProofVerifiesOnlyForItsOwnLeafIndex(
            @ForAll @IntRange(min = 2, max = 2000) int size, @ForAll @IntRange(min = 0, max = 1999) int index,
            @ForAll @IntRange(min = 0, max = 1999) int claimed) {
        Assume.that(index < size && claimed != index);
        List<byte[]> proof = MerkleProofs.inclusionProof(STORE, index, size);
        assertThrows(ProofException.class, () -> MerkleProofs.verifyInclusion(REFERENCE.leafHashList().get(index), claimed,
                size, proof, REFERENCE.root(size)));
    }
}
