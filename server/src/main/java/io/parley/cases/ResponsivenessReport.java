package io.parley.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Kind;
import io.parley.json.Json;
import io.parley.store.LinkStore;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.DeadlineStatus;
import io.parley.timeline.Decision;

/**
 * How responsive each party of a channel was over a period, computed only from case timelines (which come from
 * signed envelopes), so any member holding the same envelopes computes the same figures. Line outages are this
 * node's own record of its deliveries to the party and are reported beside, clearly as such.
 *
 * <p>Exercises ({@link CaseTimeline#exercise()}) never count in the real figures ({@link #rows}): they are counted
 * the same way, apart, in {@link #exerciseRows} (without line outages, which are the line's and not the drill's).
 */
public record ResponsivenessReport(String channel, Instant from, Instant to, Instant computedAt, List<Row> rows, List<Row> exerciseRows,
                                   Map<String, Instant> contactsOverdue) {

    /** One party's figures. Percentages are of the requests/cases it had to respond to; null when there were none. */
    public record Row(String party, int cases, int requests, int ackedInTime, int ackMissed, int answeredInTime, int answerMissed,
                      Duration medianAck, Duration p90Ack, Duration medianAnswer, Duration p90Answer,
                      int pingTests, int pingsFailed, int outages, Duration downtime, Decided decided, int clockFindings) {
        /** A row without clock findings. */
        public Row(String party, int cases, int requests, int ackedInTime, int ackMissed, int answeredInTime, int answerMissed,
                   Duration medianAck, Duration p90Ack, Duration medianAnswer, Duration p90Answer,
                   int pingTests, int pingsFailed, int outages, Duration downtime, Decided decided) {
            this(party, cases, requests, ackedInTime, ackMissed, answeredInTime, answerMissed, medianAck, p90Ack, medianAnswer, p90Answer,
                    pingTests, pingsFailed, outages, downtime, decided, 0);
        }

        public Double ackOnTimePercent() {
            return percent(ackedInTime, ackedInTime + ackMissed);
        }

        public Double answerOnTimePercent() {
            return percent(answeredInTime, answeredInTime + answerMissed);
        }

        private static Double percent(int part, int whole) {
            return whole == 0 ? null : Math.round(1000.0 * part / whole) / 10.0;
        }
    }

    /** A report with no exercise figures and no one overdue with its points of contact. */
    public ResponsivenessReport(String channel, Instant from, Instant to, Instant computedAt, List<Row> rows) {
        this(channel, from, to, computedAt, rows, List.of(), Map.of());
    }

    /**
     * This report with the parties overdue in re-confirming their points of contact as of its computation, each with
     * the time it became overdue ({@link io.parley.practice.ContactConfirmations#overdue(String, Instant)}).
     */
    public ResponsivenessReport withContactsOverdue(Map<String, Instant> overdue) {
        return new ResponsivenessReport(channel, from, to, computedAt, rows, exerciseRows, Map.copyOf(overdue));
    }

    /**
     * How a party decided the requests it was asked (its latest decision in force on each, {@link Decision}):
     * accepted (a plain acknowledgement counts as an accept), declined, deferred. A request declined in time is
     * answered "declined", never counted as a missed answer.
     */
    public record Decided(int accepted, int declined, int deferred) {
        static Decided of(CaseTimeline t, String party, Decided sum) {
            CaseTimeline.Response r = t.responses().get(party);
            if (t.kind() != Kind.REQUEST || r == null || r.decision() == null) return sum;
            return switch (r.decision().choice()) {
                case ACCEPT -> new Decided(sum.accepted + 1, sum.declined, sum.deferred);
                case DECLINE -> new Decided(sum.accepted, sum.declined + 1, sum.deferred);
                case DEFER -> new Decided(sum.accepted, sum.declined, sum.deferred + 1);
            };
        }
    }

    /** Computes the report for the cases opened in [from, to), as of {@code now}. */
    public static ResponsivenessReport compute(Charter charter, Collection<CaseTimeline> timelines, Instant from, Instant to, Instant now,
                                               Map<String, LinkStore.Link> links, Map<String, List<LinkStore.Outage>> outages) {
        List<CaseTimeline> real = timelines.stream().filter(t -> !t.exercise()).toList();
        List<CaseTimeline> exercises = timelines.stream().filter(CaseTimeline::exercise).toList();
        return new ResponsivenessReport(charter.channel(), from, to, now, rows(charter, real, from, to, now, outages),
                rows(charter, exercises, from, to, now, Map.of()), Map.of());
    }

    private static List<Row> rows(Charter charter, Collection<CaseTimeline> timelines, Instant from, Instant to, Instant now,
                                  Map<String, List<LinkStore.Outage>> outages) {
        Map<String, Row> rows = new TreeMap<>();
        for (Charter.Member m : charter.members()) {
            String party = m.origin();
            int cases = 0, requests = 0, ackIn = 0, ackMiss = 0, ansIn = 0, ansMiss = 0, pings = 0, pingsFailed = 0, clock = 0;
            List<Duration> acks = new ArrayList<>(), answers = new ArrayList<>();
            Decided decided = new Decided(0, 0, 0);
            for (CaseTimeline t : timelines) {
                if (!t.channel().equals(charter.channel()) || t.openedAt().isBefore(from) || !t.openedAt().isBefore(to)) continue;
                // this party's envelopes dated beyond the charter's clock skew (they counted at their log time), in its own cases too
                clock += (int) t.clockFindings().stream().filter(f -> f.sender().equals(party)).count();
                if (t.openedBy().equals(party)) continue;
                DeadlineStatus ack = t.ackStatusOf(party, now);
                DeadlineStatus answer = t.answerStatusOf(party, now);
                if (t.kind() == Kind.PING) {
                    pings++;
                    if (ack == DeadlineStatus.MISSED) pingsFailed++;
                    continue;
                }
                cases++;
                if (t.kind() == Kind.REQUEST) requests++;
                decided = Decided.of(t, party, decided);
                if (ack == DeadlineStatus.MET) ackIn++;
                if (ack == DeadlineStatus.MISSED) ackMiss++;
                if (answer == DeadlineStatus.MET) ansIn++;
                if (answer == DeadlineStatus.MISSED) ansMiss++;
                CaseTimeline.Response r = t.responses().get(party);
                if (r != null && r.ackedAt() != null) acks.add(Duration.between(t.openedAt(), r.ackedAt()));
                if (r != null && r.answeredAt() != null) answers.add(Duration.between(t.openedAt(), r.answeredAt()));
            }
            List<LinkStore.Outage> os = outages.getOrDefault(party, List.of()).stream()
                    .filter(o -> o.startedAt().isBefore(to) && (o.endedAt() == null || o.endedAt().isAfter(from))).toList();
            Duration down = Duration.ZERO;
            for (LinkStore.Outage o : os) {
                Instant s = o.startedAt().isBefore(from) ? from : o.startedAt();
                Instant e = o.endedAt() == null ? (now.isBefore(to) ? now : to) : (o.endedAt().isAfter(to) ? to : o.endedAt());
                if (e.isAfter(s)) down = down.plus(Duration.between(s, e));
            }
            rows.put(party, new Row(party, cases, requests, ackIn, ackMiss, ansIn, ansMiss, quantile(acks, 0.5), quantile(acks, 0.9),
                    quantile(answers, 0.5), quantile(answers, 0.9), pings, pingsFailed, os.size(), down, decided, clock));
        }
        return List.copyOf(rows.values());
    }

    /** Nearest-rank quantile; null for no data. */
    static Duration quantile(List<Duration> values, double q) {
        if (values.isEmpty()) return null;
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("channel", channel).put("from", from.toString()).put("to", to.toString()).put("computed_at", computedAt.toString());
        putRows(o.putArray("parties"), rows);
        for (var x : o.path("parties")) {
            Instant since = contactsOverdue.get(x.path("party").asText());
            if (since == null) ((ObjectNode) x).putNull("contacts_overdue_since"); else ((ObjectNode) x).put("contacts_overdue_since", since.toString());
        }
        ArrayNode overdue = o.putArray("contacts_overdue");
        new TreeMap<>(contactsOverdue).forEach((party, since) -> overdue.addObject().put("party", party).put("since", since.toString()));
        // apart, so no exercise ever counts as real responsiveness
        putRows(o.putObject("exercises").putArray("parties"), exerciseRows);
        return o;
    }

    private static void putRows(ArrayNode rs, List<Row> rows) {
        for (Row r : rows) {
            ObjectNode x = rs.addObject().put("party", r.party()).put("cases", r.cases()).put("requests", r.requests())
                    .put("acknowledged_in_time", r.ackedInTime()).put("acknowledgement_missed", r.ackMissed())
                    .put("answered_in_time", r.answeredInTime()).put("answer_missed", r.answerMissed())
                    .put("ping_tests", r.pingTests()).put("ping_tests_failed", r.pingsFailed())
                    .put("line_outages", r.outages()).put("line_downtime_seconds", r.downtime().toSeconds())
                    .put("accepted", r.decided().accepted()).put("declined", r.decided().declined()).put("deferred", r.decided().deferred())
                    .put("clock_findings", r.clockFindings());
            putPercent(x, "acknowledged_in_time_percent", r.ackOnTimePercent());
            putPercent(x, "answered_in_time_percent", r.answerOnTimePercent());
            putDuration(x, "median_ack_seconds", r.medianAck());
            putDuration(x, "p90_ack_seconds", r.p90Ack());
            putDuration(x, "median_answer_seconds", r.medianAnswer());
            putDuration(x, "p90_answer_seconds", r.p90Answer());
        }
    }

    /** RFC 4180, with the '\n' line ends this report has always had. */
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n')
            .setHeader("channel", "party", "from", "to", "cases", "requests", "acknowledged_in_time", "acknowledgement_missed",
                    "acknowledged_in_time_percent", "answered_in_time", "answer_missed", "answered_in_time_percent", "median_ack_seconds",
                    "p90_ack_seconds", "median_answer_seconds", "p90_answer_seconds", "ping_tests", "ping_tests_failed", "line_outages",
                    "line_downtime_seconds", "accepted", "declined", "deferred", "clock_findings", "figures", "contacts_overdue_since")
            .get();

    /** One line per party, under a header line; fields holding a comma, a quote or a line break are quoted. */
    public String toCsv() {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(out, CSV)) {
            printRows(csv, rows, "real");
            printRows(csv, exerciseRows, "exercise");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }

    /** {@code figures} says which count a line belongs to: {@code real}, or {@code exercise} (kept apart). */
    private void printRows(CSVPrinter csv, List<Row> rows, String figures) throws IOException {
        for (Row r : rows) {
            csv.printRecord(text(channel), text(r.party()), from.toString(), to.toString(), Integer.toString(r.cases()), Integer.toString(r.requests()),
                    Integer.toString(r.ackedInTime()), Integer.toString(r.ackMissed()), str(r.ackOnTimePercent()), Integer.toString(r.answeredInTime()),
                    Integer.toString(r.answerMissed()), str(r.answerOnTimePercent()), secs(r.medianAck()), secs(r.p90Ack()), secs(r.medianAnswer()),
                    secs(r.p90Answer()), Integer.toString(r.pingTests()), Integer.toString(r.pingsFailed()), Integer.toString(r.outages()),
                    Long.toString(r.downtime().toSeconds()), Integer.toString(r.decided().accepted()),
                    Integer.toString(r.decided().declined()), Integer.toString(r.decided().deferred()), Integer.toString(r.clockFindings()), figures,
                    figures.equals("real") && contactsOverdue.containsKey(r.party()) ? contactsOverdue.get(r.party()).toString() : "");
        }
    }

    /**
     * A name for a spreadsheet cell. Channel and party names are chosen by the parties, and a hostile peer can name
     * itself {@code =HYPERLINK(...)}: a cell that a spreadsheet would read as a formula gets a leading apostrophe
     * (the OWASP CSV-injection defence), so the report opens as text.
     */
    private static String text(String s) {
        return !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }

    private static String str(Double d) {
        return d == null ? "" : d.toString();
    }

    private static String secs(Duration d) {
        return d == null ? "" : Long.toString(d.toSeconds());
    }

    private static void putPercent(ObjectNode o, String k, Double v) {
        if (v == null) o.putNull(k); else o.put(k, v);
    }

    private static void putDuration(ObjectNode o, String k, Duration d) {
        if (d == null) o.putNull(k); else o.put(k, d.toSeconds());
    }
}
