package io.parley.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.Kind;
import io.parley.json.Json;
import io.parley.norms.CommitmentCatalogue;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.DeadlineStatus;

/**
 * How the requests that invoked each of a channel's commitments were answered ("requests citing 13(f): 7, answered in
 * time: 3"), and how many cases each incident category had, over the cases opened in a period. Computed from case
 * timelines only, like {@link ResponsivenessReport}, so every member holding the same envelopes gets the same figures.
 * A request counts for a commitment only if the charter lists it ({@link io.parley.timeline.CaseNorms}).
 */
public record NormsReport(String channel, Instant from, Instant to, List<Line> commitments, List<Line> categories) {

    /**
     * One commitment's or category's figures. For a commitment {@code cases} equals {@code requests} (only requests
     * cite); the answer figures are of the requests: answered by the deadline, answered after it, not answered with
     * the deadline passed, still within it, declined (the request's answer status; see {@code CaseTimeline}).
     */
    public record Line(String id, String title, int cases, int requests, int answeredInTime, int answeredLate, int unanswered, int pending,
                       int declined) {}

    public static NormsReport compute(Charter charter, Collection<CaseTimeline> timelines, Instant from, Instant to, Instant now) {
        Map<String, Tally> commitments = new LinkedHashMap<>();
        for (Practice.Commitment c : charter.practice().commitments()) commitments.put(c.id(), new Tally(c.id(), CommitmentCatalogue.shipped().titleOf(c)));
        Map<String, Tally> categories = new TreeMap<>();
        for (CaseTimeline t : timelines) {
            // exercises are drills, not requests a party invoked a commitment for: out, as from the real responsiveness figures
            if (!t.channel().equals(charter.channel()) || t.kind() == Kind.PING || t.exercise() || t.openedAt().isBefore(from) || !t.openedAt().isBefore(to)) continue;
            for (String id : t.norms().commitments()) {
                Tally c = commitments.get(id);
                if (c != null) c.add(t, now);
            }
            String cat = t.norms().category();
            if (cat != null) {
                categories.computeIfAbsent(cat, k -> new Tally(k, IncidentTaxonomy.shipped().find(k).map(IncidentTaxonomy.Category::title).orElse(k))).add(t, now);
            }
        }
        return new NormsReport(charter.channel(), from, to, lines(commitments.values()), lines(categories.values()));
    }

    private static List<Line> lines(Collection<Tally> ts) {
        List<Line> out = new ArrayList<>();
        for (Tally t : ts) out.add(new Line(t.id, t.title, t.cases, t.requests, t.inTime, t.late, t.unanswered, t.pending, t.declined));
        return List.copyOf(out);
    }

    /** Counts for one line; owned by the one {@link #compute} call that made it. */
    private static final class Tally {
        final String id, title;
        int cases, requests, inTime, late, unanswered, pending, declined;

        Tally(String id, String title) {
            this.id = id;
            this.title = title;
        }

        void add(CaseTimeline t, Instant now) {
            cases++;
            if (!t.needsAnswer()) return;
            requests++;
            DeadlineStatus s = t.answerStatus(now);
            if (s == DeadlineStatus.MET) inTime++;
            else if (s == DeadlineStatus.MISSED && t.answeredAt() != null) late++;
            else if (s == DeadlineStatus.MISSED) unanswered++;
            else if (s == DeadlineStatus.PENDING) pending++;
            else if (s == DeadlineStatus.DECLINED) declined++;
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("channel", channel).put("from", from.toString()).put("to", to.toString());
        o.set("commitments", json(commitments, "id"));
        o.set("categories", json(categories, "category"));
        return o;
    }

    /** The two lists as the responsiveness report's JSON carries them beside its parties. */
    public void addTo(ObjectNode report) {
        report.set("commitments", json(commitments, "id"));
        report.set("categories", json(categories, "category"));
    }

    private static ArrayNode json(List<Line> lines, String idName) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Line l : lines) {
            a.addObject().put(idName, l.id()).put("title", l.title()).put("cases", l.cases()).put("requests", l.requests())
                    .put("answered_in_time", l.answeredInTime()).put("answered_late", l.answeredLate())
                    .put("unanswered", l.unanswered()).put("pending", l.pending()).put("declined", l.declined());
        }
        return a;
    }

    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n')
            .setHeader("channel", "section", "id", "title", "from", "to", "cases", "requests", "answered_in_time", "answered_late", "unanswered", "pending", "declined")
            .get();

    /** One line per commitment (section {@code commitment}) and per category (section {@code category}). */
    public String toCsv() {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(out, CSV)) {
            for (Line l : commitments) row(csv, "commitment", l);
            for (Line l : categories) row(csv, "category", l);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }

    private void row(CSVPrinter csv, String section, Line l) throws IOException {
        csv.printRecord(cell(channel), section, cell(l.id()), cell(l.title()), from.toString(), to.toString(), l.cases(), l.requests(),
                l.answeredInTime(), l.answeredLate(), l.unanswered(), l.pending(), l.declined());
    }

    /** A free-form commitment's text is the members' own: a cell a spreadsheet would read as a formula gets an apostrophe. */
    private static String cell(String s) {
        return !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }
}
