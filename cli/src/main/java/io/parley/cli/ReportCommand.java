package io.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The responsiveness report of a channel: how fast each party acknowledged and answered, and how its line held. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"How responsive each party of a channel was over a period (default: the last 30 days): requests, the share "
                + "acknowledged and answered within the charter's deadlines, median and p90 times, failed ping tests, and this node's "
                + "record of line outages to the party.",
                "The figures come from signed envelopes, so every member computes the same; outages and downtime are this node's own record."})
final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "Channel id.")
    String channel;

    @Option(names = "--from", paramLabel = "TIME", description = "Cases opened from this time on (RFC 3339, or a date: midnight UTC; default: 30 days before --to).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Cases opened before this time (RFC 3339, or a date: midnight UTC; default: now).")
    String to;

    @Option(names = "--csv", description = "Print the CSV as the API returns it.")
    boolean csv;

    @Option(names = "--norms", description = "With --csv: the CSV of requests per commitment of the charter and cases per incident category instead.")
    boolean norms;

    @Mixin JsonOption json;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path outFile;

    @Override
    public Integer call() throws Exception {
        if (csv && json.json) throw new ParameterException(spec.commandLine(), "--csv and --json exclude each other");
        Instant f = from == null ? null : time("--from", from);
        Instant t = to == null ? null : time("--to", to);
        if (f != null && t != null && !f.isBefore(t)) throw new ParameterException(spec.commandLine(), "--from must be before --to");
        if (norms && !csv) throw new ParameterException(spec.commandLine(), "--norms goes with --csv (the other forms show those figures anyway)");
        StringBuilder q = new StringBuilder("/api/v1/reports/" + (norms ? "norms" : "responsiveness") + "?channel=" + ApiOptions.segment(channel));
        if (f != null) q.append("&from=").append(f);
        if (t != null) q.append("&to=").append(t);

        String text;
        if (csv) {
            text = getText(q + "&format=csv");
        } else {
            JsonNode report = api.client().get(q.toString());
            if (json.json) {
                text = Json.pretty(report) + "\n";
            } else {
                StringWriter sw = new StringWriter();
                print(report, new PrintWriter(sw, true));
                text = sw.toString();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (outFile != null) {
            Files.writeString(outFile, text, StandardCharsets.UTF_8);
            out.println("wrote the responsiveness report of " + channel + " to " + outFile);
        } else {
            out.print(text);
            out.flush();
        }
        return 0;
    }

    static void print(JsonNode r, PrintWriter out) {
        out.println("responsiveness in " + r.path("channel").asText() + ", cases opened from " + Table.time(r.path("from").asText()) + " to "
                + Table.time(r.path("to").asText()) + " (as of " + Table.time(r.path("computed_at").asText()) + ")");
        Table t = new Table("PARTY", "CASES", "REQUESTS", "ACK IN TIME", "ANSWER IN TIME", "ACC/DECL/DEFER", "MEDIAN ACK", "P90 ACK", "MEDIAN ANSWER",
                "P90 ANSWER", "PINGS FAILED", "OUTAGES", "DOWNTIME", "CLOCK");
        for (JsonNode p : r.path("parties")) {
            int pings = p.path("ping_tests").asInt();
            t.row(p.path("party").asText(), p.path("cases").asText(), p.path("requests").asText(),
                    percent(p.path("acknowledged_in_time_percent"), p.path("acknowledged_in_time").asInt(), p.path("acknowledgement_missed").asInt()),
                    percent(p.path("answered_in_time_percent"), p.path("answered_in_time").asInt(), p.path("answer_missed").asInt()),
                    p.path("accepted").asInt() + "/" + p.path("declined").asInt() + "/" + p.path("deferred").asInt(),
                    seconds(p.path("median_ack_seconds")), seconds(p.path("p90_ack_seconds")),
                    seconds(p.path("median_answer_seconds")), seconds(p.path("p90_answer_seconds")),
                    pings == 0 ? null : p.path("ping_tests_failed").asInt() + "/" + pings,
                    p.path("line_outages").asText(), Table.duration(p.path("line_downtime_seconds").asLong()),
                    p.path("clock_findings").asText("0"));
        }
        t.print(out);
        out.println("in time: share of the deadlines met among those met or missed (pending ones do not count); a party's own cases are not counted for it.");
        out.println("acc/decl/defer: requests the party accepted, declined or deferred (its latest decision); a request declined in time is not a missed answer.");
        out.println("outages and downtime: this node's record of its deliveries to the party.");
        out.println("clock: the party's messages dated beyond the charter's clock skew from their log time; they counted at their log time.");
        for (JsonNode c : r.path("commitments")) {
            out.println("requests citing " + c.path("title").asText() + " (" + c.path("id").asText() + "): " + c.path("requests").asInt()
                    + ", answered in time: " + c.path("answered_in_time").asInt() + ", late: " + c.path("answered_late").asInt()
                    + ", unanswered: " + c.path("unanswered").asInt() + ", pending: " + c.path("pending").asInt() + ", declined: " + c.path("declined").asInt());
        }
        for (JsonNode c : r.path("categories")) {
            out.println("category " + c.path("category").asText() + " (" + c.path("title").asText() + "): " + c.path("cases").asInt() + " case(s), "
                    + c.path("requests").asInt() + " request(s), answered in time: " + c.path("answered_in_time").asInt());
        }
    }

    private static String percent(JsonNode pct, int inTime, int missed) {
        if (!pct.isNumber()) return null;
        double v = pct.asDouble();
        String s = v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        return s + "% (" + inTime + "/" + (inTime + missed) + ")";
    }

    private static String seconds(JsonNode n) {
        return n.isNumber() ? Table.duration(n.asDouble()) : null;
    }

    private Instant time(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ParameterException(spec.commandLine(), option + " must be an RFC 3339 time such as 2026-11-01T00:00:00Z or a date such as 2026-11-01 (got '" + text + "')");
            }
        }
    }

    /** GET as text (the CSV form), with the same one-line errors as {@link ApiClient}. */
    private String getText(String path) throws IOException, InterruptedException {
        String base = api.url.replaceAll("/+$", "");
        if (!base.startsWith("http://") && !base.startsWith("https://")) throw new IllegalArgumentException("--url must start with http:// or https://");
        String authorization = api.authorization();
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Accept", "text/csv, application/problem+json")
                    .header("Authorization", authorization)
                    .GET().build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL " + base + path);
        }
        HttpResponse<String> res;
        try (HttpClient http = ApiOptions.http(api.ca).build()) { // --ca counts here too
            res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + base + " (is the node running?)");
        }
        if (res.statusCode() >= 400) {
            String detail = "HTTP " + res.statusCode();
            try {
                JsonNode body = Json.parse(res.body());
                detail = body.path("detail").asText(body.path("title").asText(detail));
            } catch (IllegalArgumentException e) {
                // not problem+json: the status will do
            }
            throw new IOException(detail + " (HTTP " + res.statusCode() + ")");
        }
        return res.body();
    }
}
