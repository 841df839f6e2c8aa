package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.parley.identity.SigningKey;

/**
 * Checks this package against {@code src/test/resources/log/fixture-log/}, a 600-entry static log written by
 * {@code generate_fixtures.py} with an independent Python implementation (hashlib + cryptography's Ed25519) straight
 * from the specs: its tiles, entry bundles, signed and cosigned checkpoint, vkeys and a tlog-proof.
 */
class FixtureLogTest {

    static final String ORIGIN = "fixture.parley.example/log";
    static final int SIZE = 600;

    static byte[] resource(String path) throws IOException {
        try (InputStream in = FixtureLogTest.class.getResourceAsStream("/log/fixture-log/" + path)) {
            assertNotNull(in, "missing fixture " + path);
            return in.readAllBytes();
        }
    }

    static String text(String path) throws IOException {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static byte[] entry(int i) {
        return ("parley fixture entry " + i).getBytes(StandardCharsets.UTF_8);
    }

    static InMemoryHashStore tree() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) entries.add(entry(i));
        InMemoryHashStore store = new InMemoryHashStore();
        store.appendEntries(entries);
        return store;
    }

    static Map<String, String> keys() throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : text("keys").split("\n")) {
            String[] kv = line.split(" ", 2);
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    static SigningKey keyFromSeedText(String name, String seedText) throws Exception {
        byte[] seed = MessageDigest.getInstance("SHA-256").digest(seedText.getBytes(StandardCharsets.UTF_8));
        return new SigningKey(name, seed);
    }

    @Test
    void fixtureCheckpointParsesVerifiesAndMatchesOurTree() throws Exception {
        SignedNote note = SignedNote.parse(resource("checkpoint"));
        Checkpoint cp = Checkpoint.of(note);
        assertEquals(ORIGIN, cp.origin());
        assertEquals(SIZE, cp.size());
        assertArrayEquals(tree().root(), cp.rootHash());

        NoteVerifier log = NoteVerifier.parse(keys().get("log"));
        NoteVerifier witness = NoteVerifier.parse(keys().get("witness"));
        assertEquals(1, note.verify(List.of(log)).size());
        List<NoteSignature> cosigs = note.verify(List.of(witness));
        assertEquals(1700000000L, Cosignature.of(cosigs.get(0)).timestamp());
        assertEquals(text("checkpoint"), note.encode());
    }

    @Test
    void ourSignaturesOnTheFixtureCheckpointAreByteIdenticalToThePythonOnes() throws Exception {
        SigningKey log = keyFromSeedText(ORIGIN, "parley log fixture key");
        CosignerKey witness = new CosignerKey(keyFromSeedText("witness.parley.example/w1", "parley witness fixture key"));
        assertEquals(keys().get("log"), log.verifierKey().encoded());
        assertEquals(keys().get("witness"), witness.vkey());
        Checkpoint cp = new Checkpoint(ORIGIN, SIZE, tree().root());
        SignedNote ours = cp.sign(NoteSigner.ed25519(log), witness.signerAt(1700000000L));
        assertEquals(text("checkpoint"), ours.encode());
    }

    @Test
    void fixtureTilesEqualTheTilesWeServe() throws Exception {
        InMemoryHashStore tree = tree();
        List<TileCoordinates> tiles = Tiles.all(SIZE);
        assertEquals(List.of("tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/1/000.p/2"),
                tiles.stream().map(TileCoordinates::path).toList());
        for (TileCoordinates t : tiles) {
            byte[] file = resource(t.path());
            assertArrayEquals(Tiles.read(tree, t), file, t.path());
            assertEquals(t, TileCoordinates.parse(t.path()));
        }
    }

    @Test
    void fixtureEntryBundlesDecodeToTheEntriesAndHashToTheLevel0Tiles() throws Exception {
        for (TileCoordinates bundle : Tiles.changedEntryBundles(0, SIZE)) {
            List<byte[]> entries = EntryBundle.decode(resource(bundle.path()), bundle);
            for (int i = 0; i < entries.size(); i++) {
                assertArrayEquals(entry((int) bundle.index() * 256 + i), entries.get(i));
            }
            TileCoordinates level0 = TileCoordinates.hashes(0, bundle.index(), bundle.width());
            assertArrayEquals(resource(level0.path()), EntryBundle.leafHashTile(entries));
            assertArrayEquals(resource(bundle.path()), EntryBundle.encode(entries));
        }
    }

    @Test
    void clientVerifiesAnEntryFromTheFixtureTilesAlone() throws Exception {
        SignedNote note = SignedNote.parse(resource("checkpoint"));
        note.verify(List.of(NoteVerifier.parse(keys().get("log"))));
        Checkpoint cp = Checkpoint.of(note);
        TileHashReader tiles = new TileHashReader(cp.size(), t -> {
            try {
                return resource(t.path());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertArrayEquals(cp.rootHash(), TreeHash.of(tiles, cp.size()));
        for (int i : new int[] {0, 255, 256, 300, 599}) {
            List<byte[]> proof = MerkleProofs.inclusionProof(tiles, i, cp.size());
            MerkleProofs.verifyInclusion(Rfc6962.leafHash(entry(i)), i, cp.size(), proof, cp.rootHash());
        }
    }

    @Test
    void fixtureTlogProofVerifiesAndReencodesIdentically() throws Exception {
        TlogProof proof = TlogProof.parse(resource("entry-300.tlog-proof"));
        assertEquals(300, proof.index());
        assertArrayEquals("fixture extra".getBytes(StandardCharsets.UTF_8), proof.extra());
        TlogProof.Verified v = proof.verify(Rfc6962.leafHash(entry(300)), ORIGIN,
                List.of(NoteVerifier.parse(keys().get("log"))), List.of(NoteVerifier.parse(keys().get("witness"))), 1);
        assertEquals(SIZE, v.checkpoint().size());
        assertEquals(text("entry-300.tlog-proof"), proof.encode());
        assertEquals(Hex.hexes(MerkleProofs.inclusionProof(tree(), 300, SIZE)), Hex.hexes(proof.inclusionProof()));
    }
}
