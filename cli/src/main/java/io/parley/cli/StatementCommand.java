package io.parley.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley case statement}: joint statements on a finished case, proposed by one party and co-signed by the others. */
@Command(name = "statement", mixinStandardHelpOptions = true,
        description = {"Joint statements on a closed or retracted case: one party proposes a text, every other party of the case co-signs it word for word.",
                "Each step is a signed, logged envelope; the case's evidence bundle carries them and 'parley verify' checks them."},
        subcommands = {StatementCommand.Propose.class, StatementCommand.Cosign.class, StatementCommand.Show.class})
final class StatementCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: propose, cosign, show");
    }

    /** The statement's state in one line: who signed, who has not. */
    static String line(JsonNode s) {
        return "statement " + s.path("id").asText() + ": signed by " + String.join(", ", texts(s.path("signatures"), "party"))
                + (s.path("complete").asBoolean() ? " (complete)" : " (pending: " + String.join(", ", texts(s.path("pending"), null)) + ")");
    }

    private static List<String> texts(JsonNode array, String member) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> member == null ? n.asText() : n.path(member).asText()).toList();
    }

    @Command(name = "propose", mixinStandardHelpOptions = true,
            description = "Propose a joint statement on a closed or retracted case; the text in --lang is authoritative, --translation adds courtesy copies.")
    static final class Propose implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Case id.")
        String id;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "The case's channel (required when the id is used in several channels).")
        String channel;

        @Option(names = "--text", paramLabel = "TEXT", description = "The statement text.")
        String text;

        @Option(names = "--text-file", paramLabel = "FILE", description = "Read the statement text from a UTF-8 file instead.")
        Path textFile;

        @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en", description = "Language of the text, which is authoritative (default: ${DEFAULT-VALUE}).")
        String lang;

        @Option(names = "--translation", paramLabel = "LANG=TEXT", description = "A courtesy translation, never authoritative (repeatable), e.g. ru=Текст.")
        List<String> translations = List.of();

        @Override
        public Integer call() throws Exception {
            if ((text == null) == (textFile == null)) throw new ParameterException(spec.commandLine(), "give the statement as --text or --text-file (one of them)");
            ObjectNode req = Json.object().put("text", text != null ? text : Files.readString(textFile)).put("lang", lang);
            ArrayNode tr = req.putArray("translations");
            for (String t : translations) {
                int eq = t.indexOf('=');
                if (eq < 1) throw new ParameterException(spec.commandLine(), "--translation must be LANG=TEXT (got '" + t + "')");
                tr.addObject().put("lang", t.substring(0, eq)).put("text", t.substring(eq + 1));
            }
            JsonNode s = api.client().post(CaseCommand.path(id, channel, "statement"), req);
            spec.commandLine().getOut().println("proposed " + line(s));
            return 0;
        }
    }

    @Command(name = "cosign", mixinStandardHelpOptions = true,
            description = "Co-sign a proposed statement word for word; run 'parley case statement show' first and read the exact text.")
    static final class Cosign implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Case id.")
        String id;

        @Parameters(index = "1", paramLabel = "STATEMENT", description = "The statement id (its proposal's hash, as 'show' prints it).")
        String statement;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "The case's channel (required when the id is used in several channels).")
        String channel;

        @Override
        public Integer call() throws Exception {
            String path = CaseCommand.path(id) + "/statement/" + ApiOptions.segment(statement) + "/cosign"
                    + (channel == null ? "" : "?channel=" + ApiOptions.segment(channel));
            JsonNode s = api.client().post(path, Json.object());
            spec.commandLine().getOut().println("co-signed " + line(s));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a case's joint statements: the exact text, translations, who signed and who has not.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Case id.")
        String id;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "The case's channel (required when the id is used in several channels).")
        String channel;

        @Override
        public Integer call() throws Exception {
            JsonNode c = api.client().get(CaseCommand.path(id, channel, null));
            PrintWriter out = spec.commandLine().getOut();
            JsonNode statements = c.path("statements");
            if (statements.isEmpty()) {
                out.println("case " + id + " has no joint statement");
                return 0;
            }
            for (JsonNode s : statements) {
                out.println(line(s));
                out.println("  proposed by " + s.path("proposed_by").asText() + " at " + s.path("proposed_at").asText() + "; text sha256 " + s.path("text_sha256").asText());
                out.println("  text (" + s.path("lang").asText() + ", authoritative):");
                s.path("text").asText().lines().forEach(l -> out.println("    " + l));
                for (JsonNode t : s.path("translations")) {
                    out.println("  translation (" + t.path("lang").asText() + ", not authoritative):");
                    t.path("text").asText().lines().forEach(l -> out.println("    " + l));
                }
            }
            return 0;
        }
    }
}
