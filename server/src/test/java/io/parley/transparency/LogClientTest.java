package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.log.Checkpoint;
import io.parley.log.EntryBundle;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteVerifier;
import io.parley.log.Rfc6962;
import io.parley.log.SignedNote;
import io.parley.log.TileCoordinates;
import io.parley.log.TileHashReader;
import io.parley.log.Tiles;
import io.parley.log.TreeHash;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * A tlog client that knows only the party card's key and the C2SP endpoints (/log/checkpoint, /log/tile/...) verifies
 * the whole tree over real HTTP: this is what "any standard tlog client" needs from us.
 */
class LogClientTest {
    @TempDir Path tmp;

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return TestNodes.HTTP_BYTES.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void clientVerifiesTreeFromCheckpointAndTilesAlone() throws Exception {
        try (NodeServer node = TestNodes.start(tmp, "cert-a.example")) {
            int n = 600;
            for (int i = 0; i < n; i++) node.node().log().append(("entry " + i).getBytes(StandardCharsets.UTF_8), "c" + i);
            node.node().log().awaitIndex("c" + (n - 1), Duration.ofSeconds(20)).orElseThrow();
            long first = node.node().log().store().indexOf("c0").orElseThrow(); // after the node's own card

            PartyCard card = PartyCard.fromJson(Json.parse(new String(get(node.baseUrl() + "/.well-known/parley").body(), StandardCharsets.UTF_8)));
            var res = get(node.baseUrl() + "/log/checkpoint");
            assertEquals("no-cache", res.headers().firstValue("Cache-Control").orElse(""));
            SignedNote note = SignedNote.parse(res.body());
            note.verify(List.of(NoteVerifier.ed25519(card.verifierKey())));
            Checkpoint cp = Checkpoint.of(note);
            assertTrue(cp.size() >= n);

            Map<TileCoordinates, byte[]> fetched = new HashMap<>();
            List<TileCoordinates> wanted = new java.util.ArrayList<>(Tiles.all(cp.size()));
            wanted.addAll(Tiles.changedEntryBundles(0, cp.size()));
            assertTrue(wanted.stream().anyMatch(TileCoordinates::entries));
            for (TileCoordinates t : wanted) {
                var tr = get(node.baseUrl() + "/log/" + t.path());
                assertEquals(200, tr.statusCode(), t.path());
                assertTrue(tr.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
                fetched.put(t, tr.body());
            }
            TileHashReader reader = new TileHashReader(cp.size(), fetched::get);
            assertArrayEquals(cp.rootHash(), TreeHash.of(reader, cp.size()), "root from tiles matches the signed checkpoint");
            // every entry in the bundles is the commitment to what was appended, and hashes to the level-0 tile hashes
            for (TileCoordinates t : wanted) {
                if (!t.entries()) continue;
                List<byte[]> entries = EntryBundle.decode(fetched.get(t));
                for (int i = 0; i < entries.size(); i++) {
                    long idx = t.index() * 256 + i;
                    if (idx >= first) {
                        assertArrayEquals(io.parley.log.LogEntry.of(("entry " + (idx - first)).getBytes(StandardCharsets.UTF_8)), entries.get(i),
                                "entry " + idx + " is SHA-256 of the appended bytes");
                    }
                    MerkleProofs.verifyInclusion(Rfc6962.leafHash(entries.get(i)), idx, cp.size(),
                            MerkleProofs.inclusionProof(reader, idx, cp.size()), cp.rootHash());
                }
            }
            assertEquals(404, get(node.baseUrl() + "/log/tile/0/x001/000").statusCode(), "a tile beyond the tree");
            assertEquals(404, get(node.baseUrl() + "/log/tile/0/01").statusCode(), "a malformed tile path");
        }
    }
}
