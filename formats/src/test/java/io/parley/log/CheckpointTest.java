package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class CheckpointTest {

    /** The checkpoint body from tlog-checkpoint's example. */
    static final String SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    @Test
    void specExampleParsesIntoOriginSizeAndRoot() throws Exception {
        Checkpoint cp = Checkpoint.parse(SPEC_BODY);
        assertEquals("example.com/behind-the-sofa", cp.origin());
        assertEquals(20852163, cp.size());
        assertArrayEquals(Hex.b64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), cp.rootHash());
        assertEquals(List.of(), cp.extensions());
        assertEquals(SPEC_BODY, cp.body());
    }

    @Test
    void goChecksumDatabaseTreeNoteIsAValidCheckpoint() throws Exception {
        // golang.org/x/mod/sumdb/tlog's FormatTree golden text: the format C2SP checkpoints grew out of.
        String golden = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";
        Checkpoint cp = Checkpoint.parse(golden);
        assertEquals(123456789012L, cp.size());
        assertArrayEquals(Rfc6962.leafHash("hello world".getBytes()), cp.rootHash());
        assertEquals(golden, new Checkpoint("go.sum database tree", 123456789012L, cp.rootHash()).body());
    }

    @Test
    void extensionLinesRoundTripAfterTheRootLine() throws Exception {
        Checkpoint cp = new Checkpoint("example.com/log", 0, Rfc6962.emptyRoot(), List.of("ext one", "— two"));
        String body = cp.body();
        assertEquals("example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n— two\n", body);
        assertEquals(cp, Checkpoint.parse(body));
    }

    @Test
    void originMayBeAnyNonEmptyLine() throws Exception {
        assertEquals("not a url + spaces", Checkpoint.parse("not a url + spaces\n1\n" + b64root() + "\n").origin());
    }

    @Test
    void malformedBodiesAreRejected() {
        String root = b64root();
        String[] bad = {
            "", "\n", "example.com/log\n5\n" + root, // no final newline
            "example.com/log\n5\n", "example.com/log\n5\n\n",
            "\n5\n" + root + "\n", // empty origin
            "example.com/log\n05\n" + root + "\n", "example.com/log\n+5\n" + root + "\n", "example.com/log\n-5\n" + root + "\n",
            "example.com/log\n 5\n" + root + "\n", "example.com/log\n5 \n" + root + "\n", "example.com/log\n0x5\n" + root + "\n",
            "example.com/log\n9223372036854775808\n" + root + "\n", "example.com/log\n\u0665\n" + root + "\n",
            "example.com/log\n5\n" + root.replace("=", "") + "\n", // missing padding
            "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", // non-canonical trailing bits
            "example.com/log\n5\n" + Hex.hex(Rfc6962.emptyRoot()) + "\n", // hex, not base64
            "example.com/log\n5\nAAAA\n", // too short
            "example.com/log\n5\n" + root + "\n\n", // empty extension line
            "example.com/log\n5\n" + root + "\n\next\n",
            "example.com/log\r\n5\n" + root + "\n", // control character
            "example.com/log\n5\n" + root + "\nbad\u0001ext\n",
        };
        for (String body : bad) assertThrows(FormatException.class, () -> Checkpoint.parse(body), body);
    }

    @Test
    void largestSizeIsTheLargestLong() throws Exception {
        assertEquals(Long.MAX_VALUE, Checkpoint.parse("o\n9223372036854775807\n" + b64root() + "\n").size());
    }

    @Test
    void constructorRefusesWhatCannotBeWritten() {
        byte[] root = Rfc6962.emptyRoot();
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 0, root));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a\nb", 0, root));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a", -1, root));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a", 0, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a", 0, root, List.of("")));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a", 0, root, List.of("x\ny")));
    }

    @Test
    void checkpointsAreValuesAndDefensivelyCopied() {
        byte[] root = Rfc6962.emptyRoot();
        Checkpoint a = new Checkpoint("a", 1, root);
        root[0] ^= 1;
        assertEquals(new Checkpoint("a", 1, Rfc6962.emptyRoot()), a);
        a.rootHash()[0] ^= 1;
        assertEquals(new Checkpoint("a", 1, Rfc6962.emptyRoot()), a);
        assertNotEquals(new Checkpoint("a", 2, Rfc6962.emptyRoot()), a);
        assertEquals(new Checkpoint("a", 1, Rfc6962.emptyRoot()).hashCode(), a.hashCode());
    }

    static String b64root() {
        return Text.base64(Rfc6962.emptyRoot());
    }
}
