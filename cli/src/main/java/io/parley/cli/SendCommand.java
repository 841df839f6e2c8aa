package io.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sign and send a message on a channel through a running node's API.")
final class SendCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin ApiOptions api;

    @Option(names = "--channel", required = true, description = "Channel id.")
    String channel;

    @Option(names = "--kind", defaultValue = "notify", description = "notify, request, ack, answer, update, close, ping... (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--priority", defaultValue = "routine", description = "flash, urgent or routine (default: ${DEFAULT-VALUE}).")
    String priority;

    @Option(names = "--tlp", defaultValue = "green", description = "clear, green, amber, amber+strict or red (default: ${DEFAULT-VALUE}).")
    String tlp;

    @Option(names = "--case", description = "Case id the message belongs to. Open cases with 'parley case open' (it makes the id); "
            + "a notify, request or ping names only a case id made for this node, or is refused (case-not-yours).")
    String caseId;

    @Option(names = "--text", description = "Free text (stored as body.text).")
    String text;

    @Option(names = "--lang", defaultValue = "en", description = "Language tag of --text (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(names = "--body", description = "Body as JSON, or @FILE to read it from a file.")
    String body;

    @Option(names = "--recipient", paramLabel = "ORIGIN", description = "A named recipient (body.recipients); repeatable. TLP:RED goes only to the members named.")
    java.util.List<String> recipients = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ObjectNode b = parseBody();
        if (text != null) {
            b.put("text", text);
            b.put("lang", lang);
        }
        if (!recipients.isEmpty()) recipients.forEach(b.putArray("recipients")::add);
        ObjectNode req = Json.object().put("kind", kind).put("priority", priority).put("tlp", tlp);
        if (caseId != null) req.put("case", caseId);
        req.set("body", b);
        JsonNode res = api.client().post("/api/v1/channels/" + ApiOptions.segment(channel) + "/messages", req);
        JsonNode env = res.path("envelope");
        spec.commandLine().getOut().println("sent " + env.path("kind").asText() + " seq " + env.path("seq").asLong()
                + " in " + env.path("channel").asText() + ": " + res.path("hash").asText());
        return 0;
    }

    private ObjectNode parseBody() throws Exception {
        if (body == null) return Json.object();
        String textBody = body.startsWith("@") ? Files.readString(Path.of(body.substring(1))) : body;
        JsonNode node;
        try {
            node = Json.parse(textBody);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--body is " + e.getMessage());
        }
        if (!node.isObject()) throw new IllegalArgumentException("--body must be a JSON object");
        return (ObjectNode) node;
    }
}
