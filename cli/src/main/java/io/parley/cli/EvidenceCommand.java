package io.parley.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley evidence}: evidence this node shared (through your node's API). */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Evidence this node shared: withdraw it.",
        subcommands = {EvidenceCommand.Retract.class})
final class EvidenceCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: retract");
    }

    @Command(name = "retract", mixinStandardHelpOptions = true,
            description = {"Withdraw a STIX bundle this node shared, by its SHA-256: a signed retract goes to every channel and case it was shared in.",
                    "Every member node then serves its objects as revoked (TAXII), drops them from correlation and from MISP/IODEF export.",
                    "Only the party that shared evidence can withdraw it; the case itself is not retracted."})
    static final class Retract implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "SHA256", description = "The bundle's SHA-256 (as the upload or the case shows it).")
        String sha256;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "Only where it was shared in this channel.")
        String channel;

        @Option(names = "--case", paramLabel = "ID", description = "Only where it was shared in this case.")
        String caseId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the other parties (signed with the retract).")
        String reason;

        @Option(names = "--lang", paramLabel = "LANG", description = "Language of --reason (default: en).")
        String lang;

        @Override
        public Integer call() throws Exception {
            ObjectNode req = Json.object();
            if (channel != null) req.put("channel", channel);
            if (caseId != null) req.put("case", caseId);
            if (reason != null) req.put("reason", reason).put("lang", lang == null ? "en" : lang);
            JsonNode r = api.client().post("/api/v1/evidence/" + ApiOptions.segment(sha256) + "/retract", req);
            for (JsonNode x : r.path("retracts")) {
                spec.commandLine().getOut().println("retracted " + sha256 + " in channel " + x.path("channel").asText()
                        + (x.path("case").isNull() ? "" : ", case " + x.path("case").asText()) + ": retract " + x.path("envelope").asText());
            }
            return 0;
        }
    }
}
