package io.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code parley case translate}: a courtesy translation of a case message's free text, signed by your node. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {"Attach a courtesy translation to a message of a case: your node's own signed update, shown next to the original and never instead of it.",
                "The original stays authoritative; the translation is attributed to your node. 'parley case show' lists the envelopes' hashes and the translations."})
final class TranslateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "ID", description = "Case id.")
    String id;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "The case's channel (required when the id is used in several channels).")
    String channel;

    @Option(names = "--of", required = true, paramLabel = "HASH", description = "The SHA-256 hash of the envelope whose free text you translate.")
    String of;

    @Option(names = "--lang", required = true, paramLabel = "LANG", description = "The language of your translation (a BCP 47 tag such as ru or en), not the original's.")
    String lang;

    @Option(names = "--text", paramLabel = "TEXT", description = "The translation.")
    String text;

    @Option(names = "--text-file", paramLabel = "FILE", description = "Read the translation from a UTF-8 file instead.")
    Path textFile;

    @Override
    public Integer call() throws Exception {
        if ((text == null) == (textFile == null)) throw new ParameterException(spec.commandLine(), "give the translation as --text or --text-file (one of them)");
        ObjectNode req = Json.object().put("of", of).put("lang", lang).put("text", text != null ? text : Files.readString(textFile));
        JsonNode x = api.client().post(CaseCommand.path(id, channel, "translations"), req);
        spec.commandLine().getOut().println("courtesy translation " + x.path("hash").asText() + " [" + x.path("lang").asText() + "] of "
                + x.path("of").asText() + " signed by " + x.path("by").asText() + " and queued for delivery; the original stays authoritative");
        return 0;
    }
}
