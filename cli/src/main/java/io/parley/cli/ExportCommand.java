package io.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a case's evidence bundle (party cards, charter, envelopes, receipts, proofs, checkpoints) to a file.")
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin ApiOptions api;

    @Option(names = "--case", required = true, description = "Case id.")
    String caseId;

    @Option(names = "--channel", description = "The case's channel (required when the id is used in several channels).")
    String channel;

    @Option(names = "--out", description = "Output file (default: CASE.parley.json).")
    Path out;

    @Override
    public Integer call() throws Exception {
        var bundle = api.client().get(CaseCommand.path(caseId, channel, "evidence"));
        Path file = out != null ? out : Path.of(caseId + ".parley.json");
        Files.writeString(file, Json.pretty(bundle) + "\n");
        spec.commandLine().getOut().println("wrote " + file + " (" + bundle.path("envelopes").size() + " envelopes); check it with: parley verify " + file);
        return 0;
    }
}
