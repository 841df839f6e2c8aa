package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.identity.SigningKey;

class AddCheckpointRequestTest {

    /** tlog-witness's example add-checkpoint request body. */
    static final String SPEC_REQUEST = "old 20852014\n"
            + "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
            + "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
            + "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
            + "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
            + "\n"
            + "example.com/behind-the-sofa\n"
            + "20852163\n"
            + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
            + "\n"
            + "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
            + "— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";

    @Test
    void specExampleRequestParsesAndReencodesIdentically() throws Exception {
        AddCheckpointRequest r = AddCheckpointRequest.parse(SPEC_REQUEST);
        assertEquals(20852014, r.oldSize());
        assertEquals(4, r.consistencyProof().size());
        assertEquals(20852163, r.checkpointBody().size());
        assertEquals(2, r.checkpoint().signatures().size());
        assertEquals(SPEC_REQUEST, r.encode());
    }

    @Test
    void witnessCanCheckARequestBuiltFromALog() throws Exception {
        InMemoryHashStore tree = new InMemoryHashStore();
        tree.append(ReferenceMerkle.leafHashes(300));
        SigningKey log = SigningKey.generate("example.com/log");
        Checkpoint cp = new Checkpoint("example.com/log", 300, tree.root());
        AddCheckpointRequest request = new AddCheckpointRequest(123, MerkleProofs.consistencyProof(tree, 123, 300),
                cp.sign(NoteSigner.ed25519(log)));
        AddCheckpointRequest received = AddCheckpointRequest.parse(request.encodeUtf8());
        assertEquals(request, received);
        received.checkpoint().verify(List.of(NoteVerifier.ed25519(log.verifierKey())));
        Checkpoint got = received.checkpointBody();
        MerkleProofs.verifyConsistency(received.oldSize(), got.size(), TreeHash.of(tree, 123), got.rootHash(),
                received.consistencyProof());

        AddCheckpointRequest first = new AddCheckpointRequest(0, List.of(), cp.sign(NoteSigner.ed25519(log)));
        assertEquals("old 0\n\n" + first.checkpoint().encode(), first.encode());
        assertEquals(first, AddCheckpointRequest.parse(first.encode()));
    }

    @Test
    void malformedRequestsAreRejected() {
        String tail = SPEC_REQUEST.substring(SPEC_REQUEST.indexOf("\n\n") + 2);
        String h = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n";
        String[] bad = {
            "", "old 1\n", "old 01\n\n" + tail, "old -1\n\n" + tail, "old\n\n" + tail, "Old 1\n\n" + tail, "old 1 \n\n" + tail,
            "old 1\n" + h + tail, "old 1\n" + h.repeat(64) + "\n" + tail, "old 1\nnot base64\n\n" + tail,
            "old 1\n\n" + "example.com/x\n1\n", "old 1\n\n\n" + tail,
        };
        for (String body : bad) assertThrows(FormatException.class, () -> AddCheckpointRequest.parse(body), body);
    }
}
