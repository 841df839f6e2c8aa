package io.parley.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Priority;
import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A line test on a channel: a ping case that the other members' nodes (or, with --human, their duty officers) acknowledge. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {"Test a channel's line: opens a ping case. Each other member's node answers an automatic ping by itself (pong: "
                + "the line is up); a --human ping needs a person to acknowledge it ('parley case ack ID') within the charter's "
                + "acknowledgement time (someone is on duty).",
                "Follow the answers with 'parley case show ID'."})
final class PingCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "Channel id.")
    String channel;

    @Option(names = "--human", description = "Ask for a person's acknowledgement instead of the nodes' automatic pong.")
    boolean human;

    @Option(names = "--priority", defaultValue = "routine", paramLabel = "PRIORITY",
            description = "flash, urgent or routine; sets the acknowledgement deadline (default: ${DEFAULT-VALUE}).")
    String priority;

    @Option(names = "--exercise", description = "Send the ping as an exercise: labelled [EXERCISE], counted apart from the real figures.")
    boolean exercise;

    @Mixin JsonOption json;

    @Override
    public Integer call() throws Exception {
        Priority p = CaseCommand.priority(spec, "--priority", priority);
        var req = Json.object().put("mode", human ? "human" : "auto").put("priority", p.wire());
        if (exercise) req.put("exercise", true);
        JsonNode t = api.client().post("/api/v1/channels/" + ApiOptions.segment(channel) + "/ping", req);
        PrintWriter out = spec.commandLine().getOut();
        if (json.printed(out, t)) return 0;
        String id = t.path("id").asText();
        out.println(CaseCommand.exercisePrefix(t) + "ping " + id + " sent on " + t.path("channel").asText() + " (" + (human ? "human" : "automatic") + ", " + t.path("priority").asText() + ")");
        CaseCommand.printDue(out, t);
        out.println("follow the " + (human ? "acknowledgements" : "pongs") + " with: parley case show " + id);
        return 0;
    }
}
