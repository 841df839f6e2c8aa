package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.parley.fuzz.FuzzBudget;
import io.parley.identity.SigningKey;
import io.parley.log.AddCheckpointRequest;
import io.parley.log.Checkpoint;
import io.parley.log.Cosignature;
import io.parley.log.CosignerKey;
import io.parley.log.FormatException;
import io.parley.log.NoteSigner;
import io.parley.log.SignedNote;
import io.parley.store.Database;

/**
 * The witness's add-checkpoint endpoint (POST /log/add-checkpoint) on a real SQLite database, trusting the fuzz log
 * key. Each input is offered twice: as sent (a hostile caller without the log's key), and with its checkpoint
 * re-signed by the trusted log key, so that consistency proofs, split-view detection and conflict recording are
 * reached with hostile sizes, roots and proofs. Contract: {@link Witness#addCheckpoint} answers with a Result and
 * never throws; a status is one the tlog-witness spec prescribes; a 200 is a cosignature that verifies under the
 * witness key on exactly the offered checkpoint.
 */
class WitnessFuzzTest {
    private static final SigningKey LOG = FuzzBudget.key("cert-a.example");
    private static final CosignerKey KEY = new CosignerKey(FuzzBudget.key("witness.example"));
    private static final Set<Integer> STATUSES = Set.of(200, 400, 403, 404, 409, 422);
    private static final Witness WITNESS = open();

    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void addCheckpoint(byte[] input) throws FormatException {
        offer(input);
        AddCheckpointRequest req;
        Checkpoint cp;
        try {
            req = AddCheckpointRequest.parse(input);
            cp = req.checkpointBody();
        } catch (FormatException | IllegalArgumentException unreadable) {
            return;
        }
        SignedNote signed = cp.sign(NoteSigner.ed25519(LOG));
        // offered as the next step after what the witness holds, and as sent
        for (long old : List.of(req.oldSize(), WITNESS.heldSize(cp.origin()))) {
            Witness.Result r = offer(new AddCheckpointRequest(old, req.consistencyProof(), signed).encodeUtf8());
            if (r instanceof Witness.Result.Cosigned ok) {
                Cosignature c = Cosignature.of(SignedNote.parseSignatureLines(ok.body()).get(0));
                assertTrue(KEY.verifier().verify(cp, c), "the witness's cosignature does not verify on the offered checkpoint");
            }
        }
    }

    private static Witness.Result offer(byte[] body) {
        Witness.Result r = WITNESS.addCheckpoint(body);
        assertTrue(STATUSES.contains(r.status()), "status " + r.status() + ": " + r.body());
        assertEquals(r.status() == 200, r instanceof Witness.Result.Cosigned);
        return r;
    }

    private static Witness open() {
        try {
            Path dir = Files.createTempDirectory("parley-witness-fuzz");
            dir.toFile().deleteOnExit();
            Database db = Database.open("jdbc:sqlite:" + dir.resolve("witness.db"));
            return new Witness(new WitnessStore(db), KEY, origin -> origin.equals(LOG.name()) ? Optional.of(LOG.verifierKey()) : Optional.empty(),
                    Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the fuzzed witness", e);
        }
    }
}
