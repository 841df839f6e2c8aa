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

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8440", description = "Node base URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--user", required = true, description = "Account name on the node.")
    String user;

    @Option(names = "--password", description = "Password (prefer the PARLEY_PASSWORD environment variable).")
    String password;

    @Option(names = "--case", required = true, description = "Case id.")
    String caseId;

    @Option(names = "--out", description = "Output file (default: CASE.parley.json).")
    Path out;

    @Override
    public Integer call() throws Exception {
        String pw = password != null ? password : System.getenv("PARLEY_PASSWORD");
        var bundle = new ApiClient(url, user, pw).get("/api/v1/cases/" + java.net.URLEncoder.encode(caseId, java.nio.charset.StandardCharsets.UTF_8) + "/evidence");
        Path file = out != null ? out : Path.of(caseId + ".parley.json");
        Files.writeString(file, Json.pretty(bundle) + "\n");
        spec.commandLine().getOut().println("wrote " + file + " (" + bundle.path("envelopes").size() + " envelopes); check it with: parley verify " + file);
        return 0;
    }
}
