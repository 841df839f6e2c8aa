package io.parley.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.envelope.Rejection;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/**
 * The one rule the inbox and catch-up share for key hand-overs in a batch: an envelope carrying a card begins a new
 * run, so what came before it is judged under the old key and what follows under the new one; a stop ends the
 * judging after the run it happened in.
 */
class KeyHandOverRunsTest {
    /** Any well-formed hash: the runs are cut by kind and body alone, and the judge here is the test's own. */
    private static final String PREV = "ab".repeat(32);
    @TempDir Path tmp;

    private static Envelope handOver(SigningKey key, long seq) {
        var body = Json.object();
        body.set("card", Fixtures.card(key, "https://a.example").toJson());
        return EnvelopeSigner.sign(new Envelope(1, "ch", key.name(), seq, PREV, Kind.UPDATE, null, "2026-11-23T10:00:00Z",
                Priority.ROUTINE, Tlp.GREEN, body, null), key);
    }

    @Test
    void aCardBeginsARunAndAStopEndsTheJudging() throws Exception {
        SigningKey a = SigningKey.generate("a.example");
        List<Envelope> in = List.of(Fixtures.envelope(a, "ch", 1, null, Tlp.GREEN, "1"), handOver(a, 2),
                Fixtures.envelope(a, "ch", 3, PREV, Tlp.GREEN, "3"), Fixtures.envelope(a, "ch", 4, PREV, Tlp.GREEN, "4"),
                handOver(a, 5), Fixtures.envelope(a, "ch", 6, PREV, Tlp.GREEN, "6"));
        try (NodeServer n = TestNodes.start(tmp, "b.example", null, Clock.systemUTC(), 0)) {
            KeyHandOver rule = n.federation().handOver();
            List<List<Long>> runs = new ArrayList<>();
            List<Verdict> all = rule.judgeInRuns(in, "test", run -> {
                runs.add(run.stream().map(Envelope::seq).toList());
                return run.stream().<Verdict>map(e -> new Verdict.Accepted(e, "h" + e.seq())).toList();
            }, v -> false);
            assertEquals(List.of(List.of(1L), List.of(2L, 3L, 4L), List.of(5L, 6L)), runs);
            assertEquals(6, all.size());

            runs.clear();
            List<Verdict> stopped = rule.judgeInRuns(in, "test", run -> {
                runs.add(run.stream().map(Envelope::seq).toList());
                return run.stream().<Verdict>map(e -> e.seq() == 3 ? new Verdict.Rejected(new Rejection.ChainGap(e.from(), 2, 3))
                        : new Verdict.Accepted(e, "h" + e.seq())).toList();
            }, v -> v instanceof Verdict.Rejected);
            assertEquals(List.of(List.of(1L), List.of(2L, 3L, 4L)), runs, "nothing after the run with the refusal is judged");
            assertEquals(4, stopped.size());
        }
    }
}
