package io.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.cases.CaseBook;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.timeline.Decision;
import io.parley.timeline.ReasonCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parley.verifier.CliErrors;

/** Hotline cases through your own node's API: list, open, show, and the responses that move a case along. */
@Command(name = "case", mixinStandardHelpOptions = true,
        description = "Open, list and show hotline cases, and acknowledge, update, answer, close or retract them (through your node's API).",
        subcommands = {CaseCommand.ListCmd.class, CaseCommand.Open.class, CaseCommand.Show.class, CaseCommand.Ack.class, CaseCommand.Update.class,
                CaseCommand.Answer.class, CaseCommand.Close.class, CaseCommand.Retract.class, StatementCommand.class, TranslateCommand.class})
final class CaseCommand implements Runnable {
    static final List<String> STATES = List.of("open", "acknowledged", "in_progress", "answered", "closed", "retracted", "declined");
    static final Set<String> OPENING_KINDS = Set.of("notify", "request", "ping");

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: list, open, show, ack, update, answer, close, retract, statement, translate");
    }

    static String path(String caseId) {
        return "/api/v1/cases/" + ApiOptions.segment(caseId);
    }

    /** The API path of a case, with its channel when given (needed when the id is used in more than one channel). */
    static String path(String caseId, String channel, String action) {
        return path(caseId) + (action == null ? "" : "/" + action) + (channel == null ? "" : "?channel=" + ApiOptions.segment(channel));
    }

    // ---- helpers shared by the case, ping and report commands ----

    /** A priority from its wire name, or a usage error naming {@code option}. */
    static Priority priority(CommandSpec spec, String option, String text) {
        return Priority.fromWire(text == null ? "" : text.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new ParameterException(spec.commandLine(), option + " must be flash, urgent or routine (got '" + text + "')"));
    }

    /** An RFC 3339 time (normalised to UTC), or a usage error naming {@code option}. */
    static String rfc3339(CommandSpec spec, String option, String text) {
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + " must be an RFC 3339 time such as 2026-11-23T06:00:00Z (got '" + text + "')");
        }
    }

    /** A JSON object read from a file, with the file named in any complaint. */
    static ObjectNode readBody(Path file) throws IOException {
        JsonNode node;
        try {
            node = Json.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + CliErrors.oneLine(e));
        }
        if (!node.isObject()) throw new IllegalArgumentException(file + " must hold a JSON object (the envelope body)");
        return (ObjectNode) node;
    }

    /** "request (trace)", "notify", "ping". */
    static String kind(JsonNode c) {
        String k = c.path("kind").asText();
        return c.hasNonNull("request_type") ? k + " (" + c.path("request_type").asText() + ")" : k;
    }

    /** How a deadline status reads: met, pending, MISSED (loud: someone is late), and "-" when it does not apply. */
    static String status(String wire) {
        return switch (wire) {
            case "missed" -> "MISSED";
            case "not_applicable", "" -> "n/a";
            default -> wire;
        };
    }

    static Instant instant(JsonNode n) {
        if (n == null || !n.isTextual()) return null;
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String between(Instant from, Instant to) {
        return Table.duration(Math.abs(Duration.between(from, to).toSeconds()));
    }

    /** The one-line outcome of opening or moving a case: its state and its deadlines as of the node's clock. */
    static String deadlines(JsonNode t) {
        StringBuilder sb = new StringBuilder("ack " + status(t.path("ack_status").asText()));
        if (t.hasNonNull("answer_due")) sb.append(", answer ").append(status(t.path("answer_status").asText()));
        return sb.toString();
    }

    // ---- list ----

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List cases, newest first, with their deadlines: met, pending, or MISSED when a deadline passed without its response.",
                    "States: open, acknowledged, in_progress, answered, closed, retracted, declined (every party asked declined the request)."})
    static final class ListCmd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "Only the cases of this channel.")
        String channel;

        @Option(names = "--state", paramLabel = "STATE", description = "Only cases in this state.")
        String state;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "200", description = "At most N cases, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            String st = state == null ? null : state.toLowerCase(Locale.ROOT).replace('-', '_');
            if (st != null && !STATES.contains(st)) {
                throw new ParameterException(spec.commandLine(), "--state must be one of " + String.join(", ", STATES) + " (got '" + state + "')");
            }
            if (limit < 1 || limit > 1000) throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 1000 (got " + limit + ")");
            StringBuilder q = new StringBuilder("/api/v1/cases?limit=" + limit);
            if (channel != null) q.append("&channel=").append(ApiOptions.segment(channel));
            if (st != null) q.append("&state=").append(st);
            JsonNode cases = api.client().get(q.toString());
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, cases)) return 0;
            if (cases.isEmpty()) {
                out.println("no cases" + (channel != null ? " in channel " + channel : "") + (st != null ? " in state " + st : "")
                        + "; open one with 'parley case open'");
                return 0;
            }
            Table t = new Table("ID", "CHANNEL", "STATE", "KIND", "PRIORITY", "TLP", "OPENED BY", "OPENED AT", "ACK DUE", "ANSWER DUE", "SUMMARY");
            int overdue = 0;
            for (JsonNode c : cases) {
                JsonNode d = c.path("deadlines");
                String state = c.path("state").asText();
                boolean finished = state.equals("closed") || state.equals("retracted");
                // still waiting for the response (overdue), or the response came after the deadline (late)
                boolean ackOverdue = state.equals("open"), answerOverdue = !finished && !state.equals("answered");
                String ack = deadline(d.path("ack"), ackOverdue, finished);
                String answer = d.has("answer") ? deadline(d.path("answer"), answerOverdue, finished) : null;
                if ((ackOverdue && "missed".equals(d.path("ack").path("status").asText()))
                        || (answerOverdue && "missed".equals(d.path("answer").path("status").asText()))) overdue++;
                t.row(c.path("id").asText(), c.path("channel").asText(), c.path("state").asText(), kind(c), c.path("priority").asText(),
                        c.path("tlp").asText(), c.path("opened_by").asText(), Table.time(c.path("opened_at").asText()), ack, answer,
                        exercisePrefix(c) + c.path("summary").asText());
            }
            t.print(out);
            if (overdue > 0) out.println(overdue + (overdue == 1 ? " case is" : " cases are") + " overdue: a deadline passed (MISSED) and the response is still awaited");
            return 0;
        }

        /** "TIME met", "TIME pending", "TIME MISSED" (overdue or finished unanswered), "TIME MISSED (late)" (the response came after it). */
        private static String deadline(JsonNode d, boolean awaited, boolean finished) {
            if (d.isMissingNode()) return null;
            String status = d.path("status").asText();
            String cell = Table.time(d.path("due").asText()) + " " + status(status);
            return status.equals("missed") && !awaited && !finished ? cell + " (late)" : cell;
        }
    }

    // ---- open ----

    @Command(name = "open", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Open a case with a request or a notification; prints the case id and its deadlines (from the channel charter).",
                    "A request needs --type, --summary and --asked; a notification needs --summary. Options add to (and override) "
                            + "the fields of --body-file."})
    static final class Open implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "Channel id.")
        String channel;

        @Option(names = "--kind", defaultValue = "request", paramLabel = "KIND", description = "request or notify (default: ${DEFAULT-VALUE}).")
        String kind;

        @Option(names = "--priority", defaultValue = "routine", paramLabel = "PRIORITY",
                description = "flash, urgent or routine; sets the deadlines (default: ${DEFAULT-VALUE}).")
        String priority;

        @Option(names = "--tlp", defaultValue = "amber", paramLabel = "TLP", description = "clear, green, amber, amber+strict or red (default: ${DEFAULT-VALUE}).")
        String tlp;

        @Option(names = "--type", paramLabel = "TYPE", description = "Request type: assistance, information, trace, mitigation, preservation or consultation.")
        String type;

        @Option(names = "--summary", paramLabel = "TEXT", description = "One-line summary.")
        String summary;

        @Option(names = "--asked", paramLabel = "TEXT", description = "What you ask the other side to do (requests).")
        String asked;

        @Option(names = "--sector", paramLabel = "SECTOR", description = "Affected sector (e.g. energy); repeatable.")
        List<String> sectors = new ArrayList<>();

        @Option(names = "--system", paramLabel = "SYSTEM", description = "Affected system; repeatable.")
        List<String> systems = new ArrayList<>();

        @Option(names = "--window-from", paramLabel = "TIME", description = "Start of the time window concerned (RFC 3339, e.g. 2026-11-23T06:00:00Z).")
        String windowFrom;

        @Option(names = "--window-to", paramLabel = "TIME", description = "End of the time window concerned (RFC 3339).")
        String windowTo;

        @Option(names = "--legal-basis", paramLabel = "TEXT", description = "Legal basis of the request (e.g. Budapest Convention art. 29).")
        String legalBasis;

        @Option(names = "--indicator", paramLabel = "VALUE", description = "An indicator (IP address, domain, hash...); repeatable.")
        List<String> indicators = new ArrayList<>();

        @Option(names = "--text", paramLabel = "TEXT", description = "Free text.")
        String text;

        @Option(names = "--lang", paramLabel = "LANG", description = "Language tag of --text (default: en when --text is given).")
        String lang;

        @Option(names = "--exercise", description = "Open the case as an exercise: labelled [EXERCISE] everywhere, kept out of the real figures.")
        boolean exercise;

        @Option(names = "--body-file", paramLabel = "FILE", description = "The body's fields as a JSON object, for anything the options do not cover.")
        Path bodyFile;

        @Option(names = "--recipient", paramLabel = "ORIGIN", description = "A named recipient (body.recipients); repeatable; required with --tlp red, "
                + "which goes only to the members named.")
        List<String> recipients = new ArrayList<>();

        @Option(names = "--category", paramLabel = "CODE",
                description = "Incident category: an RSIT code such as availability/ddos, influence-operation/... or connectivity/shutdown (the list: GET /api/v1/taxonomy).")
        String category;

        @Option(names = "--disarm-technique", paramLabel = "ID", description = "DISARM technique of an influence-operation category, e.g. T0019.")
        String disarmTechnique;

        @Option(names = "--commitment", paramLabel = "ID", description = "A commitment of the channel's charter this case invokes (e.g. un-gge-2015:13h); repeatable.")
        List<String> commitments = new ArrayList<>();

        @Option(names = "--data", paramLabel = "TEXT", description = "Preservation request: the data to preserve, e.g. 'mail server logs of 20-23 Nov'.")
        String data;

        @Option(names = "--identifier", paramLabel = "TYPE:VALUE", description = "Preservation request: an identifier of the data, e.g. ipv4:192.0.2.10; repeatable.")
        List<String> identifiers = new ArrayList<>();

        @Option(names = "--hold-days", paramLabel = "DAYS", description = "Preservation request: days to hold the data, at least 60 (default 60).")
        Integer holdDays;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            String k = kind.toLowerCase(Locale.ROOT);
            if (!k.equals("request") && !k.equals("notify")) throw usage("--kind must be request or notify (got '" + kind + "')");
            Priority p = priority(spec, "--priority", priority);
            Tlp label = Tlp.fromWire(tlp.toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> usage("--tlp must be clear, green, amber, amber+strict or red (got '" + tlp + "')"));
            String wFrom = windowFrom == null ? null : rfc3339(spec, "--window-from", windowFrom);
            String wTo = windowTo == null ? null : rfc3339(spec, "--window-to", windowTo);
            if (wFrom != null && wTo != null && !Instant.parse(wFrom).isBefore(Instant.parse(wTo))) {
                throw usage("--window-from must be before --window-to");
            }
            if (type != null && k.equals("notify")) throw usage("--type is for requests, not notifications");

            ObjectNode body = bodyFile != null ? readBody(bodyFile) : Json.object();
            if (type != null) body.put("type", type.toLowerCase(Locale.ROOT));
            if (summary != null) body.put("summary", summary);
            if (asked != null) body.put("asked", asked);
            if (!sectors.isEmpty() || !systems.isEmpty()) {
                ObjectNode affected = body.path("affected").isObject() ? (ObjectNode) body.get("affected") : body.putObject("affected");
                if (!systems.isEmpty()) strings(affected.putArray("systems"), systems);
                if (!sectors.isEmpty()) strings(affected.putArray("sectors"), sectors);
            }
            if (wFrom != null || wTo != null) {
                ObjectNode window = body.path("window").isObject() ? (ObjectNode) body.get("window") : body.putObject("window");
                if (wFrom != null) window.put("from", wFrom);
                if (wTo != null) window.put("to", wTo);
            }
            if (legalBasis != null) body.put("legal_basis", legalBasis);
            if (!indicators.isEmpty()) strings(body.putArray("indicators"), indicators);
            if (text != null) body.put("text", text);
            if (lang != null) body.put("lang", lang);
            else if (text != null && !body.has("lang")) body.put("lang", "en");
            if (!recipients.isEmpty()) strings(body.putArray("recipients"), recipients);
            if (exercise) body.put("exercise", true);
            if (label == Tlp.RED && !body.has("recipients")) throw usage("--tlp red goes only to named recipients: give --recipient ORIGIN for each");
            if (category != null) body.put("category", category);
            if (disarmTechnique != null) body.put("disarm_technique", disarmTechnique);
            if (!commitments.isEmpty()) strings(body.putArray("commitments"), commitments);
            boolean preservation = "preservation".equals(body.path("type").asText());
            if (!preservation && (data != null || !identifiers.isEmpty() || holdDays != null)) throw usage("--data, --identifier and --hold-days are for --type preservation");
            if (holdDays != null) {
                if (holdDays < 60) throw usage("--hold-days must be at least 60 (Budapest Convention Art. 29; got " + holdDays + ")");
                body.put("hold_days", holdDays);
            }
            if (data != null) body.put("data", data);
            if (!identifiers.isEmpty()) {
                ArrayNode ids = body.putArray("identifiers");
                for (String i : identifiers) {
                    int colon = i.indexOf(':');
                    if (colon <= 0 || colon == i.length() - 1) throw usage("--identifier is TYPE:VALUE, e.g. ipv4:192.0.2.10 (got '" + i + "')");
                    ids.addObject().put("type", i.substring(0, colon)).put("value", i.substring(colon + 1));
                }
            }

            if (!nonBlank(body, "summary")) throw usage("--summary is required");
            if (k.equals("request")) {
                if (!nonBlank(body, "type")) throw usage("--type is required for a request: one of " + new TreeSet<>(CaseBook.REQUEST_TYPES));
                if (!CaseBook.REQUEST_TYPES.contains(body.path("type").asText())) {
                    throw usage("--type must be one of " + new TreeSet<>(CaseBook.REQUEST_TYPES) + " (got '" + body.path("type").asText() + "')");
                }
                if (!nonBlank(body, "asked")) throw usage("--asked is required for a request: what you ask the other side to do");
            }

            ObjectNode req = Json.object().put("kind", k).put("priority", p.wire()).put("tlp", label.wire());
            req.set("body", body);
            JsonNode t = api.client().post("/api/v1/channels/" + ApiOptions.segment(channel) + "/cases", req);
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, t)) return 0;
            out.println(exercisePrefix(t) + "opened case " + t.path("id").asText() + " in " + t.path("channel").asText() + ": " + kind(t) + ", " + t.path("priority").asText()
                    + ", TLP " + t.path("tlp").asText());
            printDue(out, t);
            printNorms(out, t);
            return 0;
        }

        private static boolean nonBlank(JsonNode body, String field) {
            return body.path(field).isTextual() && !body.path(field).asText().isBlank();
        }

        private static void strings(ArrayNode a, List<String> values) {
            values.forEach(a::add);
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }

    /** The case's category, the commitments it invokes and its preservation hold with the time left, when it has them. */
    static void printNorms(PrintWriter out, JsonNode t) {
        if (t.hasNonNull("category")) out.println("category:    " + t.path("category").asText() + (t.hasNonNull("disarm_technique") ? " (DISARM " + t.path("disarm_technique").asText() + ")" : ""));
        if (t.path("commitments").size() > 0) {
            List<String> ids = new ArrayList<>();
            t.path("commitments").forEach(c -> ids.add(c.asText()));
            out.println("invokes:     " + String.join(", ", ids));
        }
        JsonNode h = t.path("hold");
        if (!h.isObject()) return;
        Instant now = instant(t.path("evaluated_at"));
        String state = h.path("state").asText();
        String line = switch (state) {
            case "active" -> "until " + dueLine(h.path("until"), now);
            case "released" -> "released " + Table.time(h.path("released_at").asText()) + " (was until " + Table.time(h.path("until").asText()) + ")";
            default -> "expired " + Table.time(h.path("until").asText());
        };
        int ext = h.path("extended_by").size();
        out.println("hold:        " + line + ", " + h.path("days").asInt() + " days asked" + (ext > 0 ? ", extended " + ext + " time" + (ext == 1 ? "" : "s") : ""));
    }

    /** "ack due: TIME (in 15m)" and, for requests, the answer deadline, as of the node's clock. */
    static void printDue(PrintWriter out, JsonNode t) {
        Instant now = instant(t.path("evaluated_at"));
        out.println("ack due:     " + dueLine(t.path("ack_due"), now));
        if (t.hasNonNull("answer_due")) out.println("answer due:  " + dueLine(t.path("answer_due"), now));
    }

    private static String dueLine(JsonNode due, Instant now) {
        Instant d = instant(due);
        if (d == null) return due.asText("-");
        if (now == null) return Table.time(d.toString());
        return Table.time(d.toString()) + (d.isAfter(now) ? " (in " + between(now, d) + ")" : " (" + between(d, now) + " ago)");
    }

    /** What starts every line about an exercise, in lists and in show. */
    static final String EXERCISE = "[EXERCISE]";

    /** {@value #EXERCISE} and a space for a case that is an exercise (the API says so at the top of its JSON), else nothing. */
    static String exercisePrefix(JsonNode c) {
        return c.path("exercise").asBoolean(false) ? EXERCISE + " " : "";
    }

    // ---- show ----

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a case: what was asked, its state and deadlines, who acknowledged and answered when, and its timeline.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Case id.")
        String id;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "The case's channel (required when the id is used in several channels).")
        String channel;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            ApiClient client = api.client();
            JsonNode t = client.get(path(id, channel, null));
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, t)) return 0;
            Instant now = instant(t.path("evaluated_at"));
            Instant opened = instant(t.path("opened_at"));
            String opener = t.path("opened_by").asText();
            JsonNode body = openingBody(t);

            if (t.path("exercise").asBoolean(false)) out.println(EXERCISE + " This case is an exercise, not a real incident; reports count it apart.");
            out.println("case:        " + t.path("id").asText());
            out.println("channel:     " + t.path("channel").asText());
            out.println("kind:        " + kind(t) + (t.path("kind").asText().equals("ping") ? " (" + body.path("mode").asText("auto") + ")" : ""));
            out.println("priority:    " + t.path("priority").asText() + ", TLP " + t.path("tlp").asText());
            java.util.Set<String> withheld = new java.util.HashSet<>();
            for (JsonNode e : t.path("envelopes")) if (e.path("content_withheld").asBoolean()) withheld.add(e.path("hash").asText());
            if (!withheld.isEmpty()) {
                // Without this line a reader sees empty fields and cannot tell "none given" from "not for you".
                out.println("content:     withheld from this account (TLP:RED): only admin accounts and accounts granted RED for channel "
                        + t.path("channel").asText() + " read it (an admin grants it with PUT /api/v1/red-grants/USER)");
            }
            if (t.hasNonNull("summary")) out.println("summary:     " + t.path("summary").asText());
            field(out, "asked:       ", body.path("asked"));
            JsonNode affected = body.path("affected");
            field(out, "sectors:     ", affected.path("sectors"));
            field(out, "systems:     ", affected.path("systems"));
            if (body.path("window").isObject()) {
                out.println("window:      " + body.path("window").path("from").asText("…") + " to " + body.path("window").path("to").asText("…"));
            }
            field(out, "indicators:  ", body.path("indicators"));
            field(out, "legal basis: ", body.path("legal_basis"));
            if (body.path("text").isTextual() && !body.path("text").asText().equals(t.path("summary").asText())) {
                out.println("text:        " + body.path("text").asText() + (body.hasNonNull("lang") ? " [" + body.path("lang").asText() + "]" : ""));
            }
            out.println("opened:      " + Table.time(t.path("opened_at").asText()) + " by " + opener);
            out.println("state:       " + t.path("state").asText()
                    + (t.hasNonNull("closed_at") ? " at " + Table.time(t.path("closed_at").asText()) : ""));
            out.println("ack:         " + deadline(t, "ack", "acked", "acknowledgement", now, opened));
            out.println("answer:      " + (t.hasNonNull("answer_due") ? deadline(t, "answer", "answered", "answer", now, opened)
                    : "not needed (" + t.path("kind").asText() + ")"));
            printNorms(out, t);

            out.println("responses:");
            Map<String, Instant[]> responses = responses(t, opener);
            List<String> parties = new ArrayList<>();
            try {
                for (JsonNode m : client.get("/api/v1/channels/" + ApiOptions.segment(t.path("channel").asText())).path("charter").path("members")) {
                    String o = m.path("origin").asText();
                    if (!o.equals(opener)) parties.add(o);
                }
            } catch (IOException e) {
                // the channel view is a nicety; without it, list who did respond
            }
            for (String p : responses.keySet()) if (!parties.contains(p)) parties.add(p);
            boolean needsAnswer = t.hasNonNull("answer_due");
            Table r = needsAnswer ? new Table("  PARTY", "ACKNOWLEDGED", "ANSWERED", "DECISION") : new Table("  PARTY", "ACKNOWLEDGED", "DECISION");
            Instant closed = instant(t.path("closed_at"));
            Map<String, JsonNode> decided = new LinkedHashMap<>();
            for (JsonNode x : t.path("responses")) decided.put(x.path("party").asText(), x);
            for (String p : parties) {
                Instant[] at = responses.getOrDefault(p, new Instant[2]);
                JsonNode own = decided.getOrDefault(p, Json.object());
                String ack = response(at[0], instant(t.path("ack_due")), opened, now, closed);
                String decision = own.path("decision").asText(at[0] == null ? "-" : "accept");
                if (!needsAnswer) r.row("  " + p, ack, decision);
                else if (own.path("answer_status").asText().equals("declined")) r.row("  " + p, ack, "declined", decision);
                else r.row("  " + p, ack, response(at[1], instant(own.path("answer_due").isTextual() ? own.path("answer_due") : t.path("answer_due")),
                        opened, now, closed), decision);
            }
            if (parties.isEmpty()) out.println("  none yet");
            else r.print(out);
            decisions(out, t.path("responses"));

            out.println("timeline:");
            Table tl = new Table("  TIME", "PARTY", "KIND", "SUMMARY");
            for (JsonNode e : t.path("events")) {
                String summary = e.path("summary").asText();
                if (summary.isEmpty() && e.path("kind").asText().equals("pong")) summary = "automatic reply: the line is up";
                if (summary.isEmpty() && withheld.contains(e.path("hash").asText())) summary = "(content withheld: TLP:RED)";
                tl.row("  " + Table.time(e.path("at").asText()), e.path("from").asText(), e.path("kind").asText(), summary);
            }
            tl.print(out);
            translations(t, out);
            clockFindings(t, out);
            return 0;
        }

        /** Envelopes dated beyond the charter's clock skew from their log time: said plainly, one line each. */
        private static void clockFindings(JsonNode t, PrintWriter out) {
            if (t.path("clock_findings").isEmpty()) return;
            out.println("clock findings (these count at their log time, not at the time their sender signed):");
            for (JsonNode f : t.path("clock_findings")) {
                out.println("  " + f.path("direction").asText() + ": " + f.path("sender").asText() + " dated " + f.path("envelope").asText().substring(0, 16)
                        + "... " + Table.time(f.path("created").asText()) + ", logged by " + f.path("logged_by").asText() + " at "
                        + Table.time(f.path("logged_at").asText()) + " (" + Table.duration(Math.abs(f.path("skew_seconds").asLong())) + " apart)");
            }
        }

        /**
         * One line per party that decided: "cert-b.example: decline (outside-jurisdiction) at T: "text" [ru, original]",
         * a defer's new deadline, and each decision that counts for nothing.
         */
        private static void decisions(PrintWriter out, JsonNode responses) {
            boolean header = false;
            for (JsonNode x : responses) {
                List<String> lines = new ArrayList<>();
                if (x.hasNonNull("decision")) {
                    StringBuilder sb = new StringBuilder(x.path("decision").asText());
                    if (x.hasNonNull("until")) sb.append(" until ").append(Table.time(x.path("until").asText()));
                    if (x.hasNonNull("reason_code")) sb.append(" (").append(x.path("reason_code").asText()).append(')');
                    sb.append(" at ").append(Table.time(x.path("decided_at").asText()));
                    // the reason is the sender's own words: shown as written, tagged with its language
                    if (x.hasNonNull("reason")) sb.append(": \"").append(x.path("reason").asText()).append("\" [").append(x.path("lang").asText()).append(", original]");
                    lines.add(sb.toString());
                }
                for (JsonNode why : x.path("ignored_decisions")) lines.add("IGNORED decision " + why.asText());
                if (lines.isEmpty()) continue;
                if (!header) out.println("decisions:");
                header = true;
                for (String l : lines) out.println("  " + x.path("party").asText() + ": " + l);
            }
        }

        /** The body of the envelope that opened the case (the first notify, request or ping of the timeline). */
        private static JsonNode openingBody(JsonNode t) {
            String hash = null;
            for (JsonNode e : t.path("events")) {
                if (OPENING_KINDS.contains(e.path("kind").asText())) {
                    hash = e.path("hash").asText();
                    break;
                }
            }
            for (JsonNode s : t.path("envelopes")) if (s.path("hash").asText().equals(hash)) return s.path("envelope").path("body");
            return Json.object();
        }

        private static void field(PrintWriter out, String label, JsonNode v) {
            if (v.isTextual() && !v.asText().isBlank()) out.println(label + v.asText());
            else if (v.isArray() && !v.isEmpty()) {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(x.isTextual() ? x.asText() : Json.write(x)));
                out.println(label + String.join(", ", items));
            } else if (v.isObject()) out.println(label + Json.write(v));
        }

        /** "due T: met — by P at T (after 5m)" / "due T: pending, 10m left" / "due T: MISSED, no acknowledgement, 5m overdue". */
        private static String deadline(JsonNode t, String name, String atField, String noun, Instant now, Instant opened) {
            String status = t.path(name + "_status").asText();
            Instant due = instant(t.path(name + "_due"));
            Instant at = instant(t.path(atField + "_at"));
            StringBuilder sb = new StringBuilder("due " + Table.time(t.path(name + "_due").asText()) + ": " + status(status));
            if (at != null) {
                sb.append(", by ").append(t.path(atField + "_by").asText("?")).append(" at ").append(Table.time(at.toString()));
                if (opened != null) sb.append(" (after ").append(between(opened, at));
                if (due != null && at.isAfter(due)) sb.append(", ").append(between(due, at)).append(" late");
                if (opened != null) sb.append(")");
            } else if (status.equals("pending") && now != null && due != null) {
                sb.append(", ").append(between(now, due)).append(" left");
            } else if (status.equals("missed") && now != null && due != null) {
                sb.append(", no ").append(noun).append(" yet, ").append(between(due, now)).append(" overdue");
            } else if (status.equals("not_applicable")) {
                sb.append(" (the case was ").append(t.path("state").asText()).append(" before the deadline)");
            }
            return sb.toString();
        }

        /** Each responding party's first acknowledgement and answer, by the rules of {@code CaseTimeline}. */
        private static Map<String, Instant[]> responses(JsonNode t, String opener) {
            Map<String, Instant[]> out = new LinkedHashMap<>();
            boolean opened = false;
            for (JsonNode e : t.path("events")) {
                String kind = e.path("kind").asText();
                String from = e.path("from").asText();
                if (!opened) {
                    opened = OPENING_KINDS.contains(kind);
                    continue;
                }
                if ((kind.equals("close") || kind.equals("retract")) && from.equals(opener)) break;
                if (from.equals(opener) || !Set.of("ack", "pong", "update", "answer").contains(kind)) continue;
                Instant at = instant(e.path("at"));
                Instant[] r = out.computeIfAbsent(from, f -> new Instant[2]);
                if (r[0] == null) r[0] = at;
                if (r[1] == null && kind.equals("answer")) r[1] = at;
            }
            return out;
        }

        private static String response(Instant at, Instant due, Instant opened, Instant now, Instant closed) {
            if (at != null) {
                String s = Table.time(at.toString()) + (opened != null ? " (after " + between(opened, at) + ")" : "");
                return due != null && at.isAfter(due) ? s + " LATE" : s;
            }
            if (due == null) return "waiting";
            if (closed != null && !closed.isAfter(due)) return "-";
            return now != null && now.isAfter(due) ? "MISSED" : "waiting";
        }
    }

    // ---- responses ----

    /** ack, update, answer, close and retract: one signed envelope on the case, with optional text. */
    abstract static class Action implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Case id.")
        String id;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "The case's channel (required when the id is used in several channels).")
        String channel;

        @Option(names = "--text", paramLabel = "TEXT", description = "Free text.")
        String text;

        @Option(names = "--lang", paramLabel = "LANG", description = "Language tag of --text (default: en when --text is given).")
        String lang;

        @Option(names = "--exercise", description = "Open the case as an exercise: labelled [EXERCISE] everywhere, kept out of the real figures.")
        boolean exercise;

        @Option(names = "--body-file", paramLabel = "FILE", description = "The envelope body as a JSON object (e.g. {\"outcome\": \"mitigated\"}); --text and --lang are added to it.")
        Path bodyFile;

        abstract String action();

        abstract String done();

        /** Fields this action adds to the body from its own options. */
        void addTo(ObjectNode body) {}

        @Override
        public Integer call() throws Exception {
            ObjectNode body = bodyFile != null ? readBody(bodyFile) : Json.object();
            addTo(body);
            if (text != null) body.put("text", text);
            if (lang != null) body.put("lang", lang);
            else if (text != null && !body.has("lang")) body.put("lang", "en");
            String done = decide(body);
            JsonNode t = api.client().post(path(id, channel, action()), Json.object().set("body", body));
            spec.commandLine().getOut().println(done + " case " + t.path("id").asText(id) + "; state " + t.path("state").asText() + ", " + deadlines(t));
            if (t.path("hold").isObject()) printNorms(spec.commandLine().getOut(), t);
            return 0;
        }

        /** Adds what this action says beyond text to {@code body}; returns the verb of the one-line outcome. */
        String decide(ObjectNode body) {
            return done();
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Acknowledge a case opened by another party, with your decision on it: accept (the default: someone is on it), "
                    + "decline (with --reason or --code, or both: stops your answer deadline) or defer (with --until: moves your answer deadline there).",
                    "Reason codes: " + "outside-jurisdiction, outside-mandate, insufficient-information, legal-obstacle, needs-higher-level, duplicate, "
                            + "resource-constraints (GET /api/v1/reason-codes lists them with their meaning)."})
    static final class Ack extends Action {
        @Option(names = "--decision", paramLabel = "DECISION", description = "accept, decline or defer (default: accept).")
        String decision;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, in your own words (tagged with --lang, default en); a decline needs it or --code.")
        String reason;

        @Option(names = "--code", paramLabel = "CODE", description = "A reason code from the published list (decline and defer).")
        String code;

        @Option(names = "--until", paramLabel = "TIME", description = "With --decision defer: when you will answer by (RFC 3339, e.g. 2026-12-01T10:00:00Z).")
        String until;

        String action() { return "ack"; }
        String done() { return "acknowledged"; }

        @Override
        String decide(ObjectNode body) {
            if (decision == null && reason == null && code == null && until == null) return done(); // the node signs it as an accept
            String d = decision == null ? "accept" : decision.toLowerCase(Locale.ROOT);
            Decision.Choice choice = Decision.Choice.fromWire(d)
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "--decision must be accept, decline or defer (got '" + decision + "')"));
            if (code != null && ReasonCode.fromWire(code).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--code must be one of " + ReasonCode.list() + " (got '" + code + "')");
            }
            if (choice == Decision.Choice.DEFER && until == null) throw new ParameterException(spec.commandLine(), "--decision defer needs --until TIME");
            if (choice != Decision.Choice.DEFER && until != null) throw new ParameterException(spec.commandLine(), "--until goes with --decision defer");
            if (choice == Decision.Choice.DECLINE && reason == null && code == null) {
                throw new ParameterException(spec.commandLine(), "--decision decline needs --reason TEXT or --code CODE (or both)");
            }
            body.put("decision", choice.wire());
            if (reason != null) {
                body.put("reason", reason);
                if (!body.has("lang")) body.put("lang", "en");
            }
            if (code != null) body.put("reason_code", code);
            if (until != null) body.put("until", rfc3339(spec, "--until", until));
            return switch (choice) {
                case ACCEPT -> "accepted";
                case DECLINE -> "declined";
                case DEFER -> "deferred";
            };
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Add an update to a case (from the other side, it also acknowledges).")
    static final class Update extends Action {
        @Option(names = "--hold-extend-days", paramLabel = "DAYS", description = "Preservation request you opened: extend its hold by DAYS.")
        Integer holdExtendDays;

        @Option(names = "--hold-until", paramLabel = "TIME", description = "Preservation request you opened: hold until TIME (RFC 3339), later than its current end.")
        String holdUntil;

        String action() { return "update"; }
        String done() { return "updated"; }

        @Override
        void addTo(ObjectNode body) {
            if (holdExtendDays != null && holdUntil != null) throw new ParameterException(spec.commandLine(), "give --hold-extend-days or --hold-until, not both");
            if (holdExtendDays != null) {
                if (holdExtendDays < 1) throw new ParameterException(spec.commandLine(), "--hold-extend-days must be at least 1 (got " + holdExtendDays + ")");
                body.put("hold_extend_days", holdExtendDays);
            }
            if (holdUntil != null) body.put("hold_until", rfc3339(spec, "--hold-until", holdUntil));
        }
    }

    @Command(name = "answer", mixinStandardHelpOptions = true, description = "Answer a request opened by another party.")
    static final class Answer extends Action {
        String action() { return "answer"; }
        String done() { return "answered"; }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Close a case your node opened.")
    static final class Close extends Action {
        String action() { return "close"; }
        String done() { return "closed"; }
    }

    @Command(name = "retract", mixinStandardHelpOptions = true, description = "Withdraw a case your node opened.")
    static final class Retract extends Action {
        String action() { return "retract"; }
        String done() { return "retracted"; }
    }

    /**
     * Each message's courtesy translations, under the original's hash: its translator's signed word, never
     * authoritative (the timeline above shows the originals).
     */
    static void translations(JsonNode t, java.io.PrintWriter out) {
        boolean any = false;
        for (JsonNode e : t.path("events")) {
            for (JsonNode x : e.path("translations")) {
                if (!any) out.println("courtesy translations (not authoritative; the original stands):");
                any = true;
                out.println("  of " + e.path("hash").asText() + " (" + e.path("from").asText() + "): [" + x.path("lang").asText() + "] by "
                        + x.path("by").asText() + ": " + x.path("text").asText());
            }
        }
    }
}
