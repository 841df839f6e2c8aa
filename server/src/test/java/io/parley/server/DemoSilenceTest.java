package io.parley.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.export.CaseBundle;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/** The demo's drill line: a minute after start, the seeded request's bundle proves that MFA-C sent no acknowledgement. */
class DemoSilenceTest {
    @TempDir Path tmp;

    @Test
    void theDrillRequestsBundleProvesMfaCsSilenceOnceItsOneMinuteDeadlinePasses() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (DemoNetwork demo = DemoNetwork.start(tmp, 0, clock)) {
            NodeServer a = demo.nodes().get(0);
            String id = a.cases().ids(DemoNetwork.DRILL_CHANNEL, null, 10).get(0).id();
            CaseBundleVerifier.Report[] report = new CaseBundleVerifier.Report[1];
            assertTrue(TestNodes.eventually(15, () -> {
                report[0] = CaseBundleVerifier.verify(CaseBundle.export(a.node(), a.federation().outbox(), DemoNetwork.DRILL_CHANNEL, id));
                return report[0].valid() && report[0].timeline().responses().containsKey("cert-b.example");
            }), () -> "failed: " + report[0].checks().stream().filter(x -> !x.ok()).toList());
            assertTrue(report[0].findings().isEmpty(), "no deadline has passed: " + report[0].findings());

            clock.advance(Duration.ofSeconds(70)); // the node clock passes the one-minute acknowledgement deadline
            assertTrue(TestNodes.eventually(30, () -> {
                report[0] = CaseBundleVerifier.verify(CaseBundle.export(a.node(), a.federation().outbox(), DemoNetwork.DRILL_CHANNEL, id));
                return report[0].valid() && report[0].findings().stream().anyMatch(l -> l.startsWith("silent: mfa-c.example sent no acknowledgement to " + id))
                        && report[0].findings().stream().noneMatch(l -> l.contains("cert-b.example sent no"));
            }), () -> report[0] == null ? "no report" : "findings: " + report[0].findings() + ", failed: "
                    + report[0].checks().stream().filter(x -> !x.ok()).toList());
        }
    }
}
