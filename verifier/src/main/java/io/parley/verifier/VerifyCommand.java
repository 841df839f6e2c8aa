package io.parley.verifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code parley verify} and the standalone verifier jar: the same command, so a third party runs exactly the checks a
 * party's own CLI runs.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, version = "parley verify 0.1.0",
        description = "Check an exported case bundle offline (no network, no database): signatures, hash chains, inclusion and "
                + "consistency proofs, cosignatures, receipts, and the case timeline with its deadlines. Exit 0 only if all hold.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The bundle file written by 'parley export'.")
    Path file;

    @Override
    public Integer call() throws Exception {
        var bundle = Json.parse(Files.readString(file));
        CaseBundleVerifier.Report report = CaseBundleVerifier.verify(bundle);
        var out = spec.commandLine().getOut();
        for (CaseBundleVerifier.Check c : report.checks()) out.println((c.ok() ? "ok    " : "FAIL  ") + c.name() + ": " + c.detail());
        if (report.timeline() != null) {
            var t = report.timeline();
            out.println((t.exercise() ? "[EXERCISE] " : "") + "case " + t.caseId() + " (" + t.kind().wire() + (t.requestType() != null ? " " + t.requestType() : "") + ", " + t.priority().wire()
                    + ") opened by " + t.openedBy() + " at " + t.openedAt() + ", now " + t.state().wire());
            t.events().forEach(e -> {
                out.println("  " + e.at() + "  " + e.from() + "  " + e.kind().wire() + (e.summary().isBlank() ? "" : "  " + e.summary()));
                // the event's own text is the original; each translation is its translator's signed word beside it
                e.translations().forEach(x -> out.println("      courtesy translation [" + x.lang() + "] by " + x.by() + ", not authoritative: "
                        + x.text().strip().replaceAll("\\s+", " ")));
            });
        }
        report.findings().forEach(out::println);
        long failed = report.checks().stream().filter(c -> !c.ok()).count();
        if (report.valid()) {
            out.println("VERIFIED: all " + report.checks().size() + " checks hold");
            return 0;
        }
        spec.commandLine().getErr().println("parley: " + file + " does not verify: " + failed + " of " + report.checks().size() + " checks failed");
        return Commands.FAILED;
    }
}
