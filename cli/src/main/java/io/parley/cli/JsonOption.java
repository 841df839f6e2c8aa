package io.parley.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.json.Json;
import picocli.CommandLine.Option;

/** The {@code --json} option of commands that show an API answer: the answer as it came, for scripts, instead of the view. */
final class JsonOption {
    @Option(names = "--json", description = "Print the API's JSON answer as it came.")
    boolean json;

    /** With {@code --json}, prints {@code answer} and returns true: the command then prints nothing else. */
    boolean printed(PrintWriter out, JsonNode answer) {
        if (json) out.println(Json.pretty(answer));
        return json;
    }
}
