package io.parley.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.parley.cases.CaseBook;
import io.parley.cases.CaseKey;
import io.parley.cases.ResponsivenessReport;
import io.parley.charter.Charter;
import io.parley.evidence.MarkingPolicy;
import io.parley.federation.Federation;
import io.parley.node.Node;
import io.parley.store.LinkStore;
import io.parley.timeline.CaseTimeline;
import io.parley.web.WebModel.Party;
import io.parley.web.i18n.Texts;
import io.parley.web.report.Charts;

/**
 * Builds the report page from {@link ResponsivenessReport}, the same computation the API's
 * {@code /api/v1/reports/responsiveness} and the channel page use, over the cases this reader may see: once for the
 * whole period (the tables), and once per bucket (a week, or 30 days over a long period) for the medians over time,
 * so a chart never computes a figure its own way.
 */
final class ReportPages {
    /** Periods longer than this are drawn in 30-day buckets rather than weeks. */
    static final Duration WEEKLY_UP_TO = Duration.ofDays(120);

    private final Node node;
    private final Federation federation;
    private final CaseBook cases;
    private final MarkingPolicy.LocalUser reader;
    private final Pages pages;
    private final Texts t;
    private final Instant now;

    ReportPages(Node node, Federation federation, CaseBook cases, MarkingPolicy.LocalUser reader, Pages pages) {
        this.node = node;
        this.federation = federation;
        this.cases = cases;
        this.reader = reader;
        this.pages = pages;
        this.t = pages.texts();
        this.now = pages.now();
    }

    static Duration bucket(Instant from, Instant to) {
        return Duration.between(from, to).compareTo(WEEKLY_UP_TO) <= 0 ? Duration.ofDays(7) : Duration.ofDays(30);
    }

    /** One channel's report; {@code index} (its place on the page) makes its charts' ids unique. */
    ReportView.ChannelReport channel(Charter c, Instant from, Instant to, int index) {
        List<CaseTimeline> timelines = new ArrayList<>();
        for (CaseKey key : cases.ids(c.channel(), null, 100_000)) cases.timeline(key, reader).ifPresent(timelines::add);
        Map<String, LinkStore.Link> links = new HashMap<>();
        Map<String, List<LinkStore.Outage>> outages = new HashMap<>();
        for (Charter.Member m : c.members()) {
            federation.links().link(m.origin()).ifPresent(l -> links.put(m.origin(), l));
            outages.put(m.origin(), federation.links().outages(m.origin()));
        }
        ResponsivenessReport whole = ResponsivenessReport.compute(c, timelines, from, to, now, links, outages);
        List<Party> parties = whole.rows().stream().map(r -> pages.party(r.party())).toList();
        String id = "chart" + index;

        // medians per bucket
        Duration step = bucket(from, to);
        List<Instant> starts = new ArrayList<>();
        List<ResponsivenessReport> perBucket = new ArrayList<>();
        for (Instant s = from; s.isBefore(to); s = s.plus(step)) {
            Instant e = s.plus(step).isAfter(to) ? to : s.plus(step);
            starts.add(s);
            perBucket.add(ResponsivenessReport.compute(c, timelines, s, e, now, links, Map.of()));
        }
        List<String> labels = Charts.bucketLabels(starts, t);
        List<Charts.Series> ack = new ArrayList<>(), answer = new ArrayList<>();
        for (ResponsivenessReport.Row r : whole.rows()) {
            List<Duration> a = new ArrayList<>(), n = new ArrayList<>();
            for (ResponsivenessReport b : perBucket) {
                ResponsivenessReport.Row br = b.rows().stream().filter(x -> x.party().equals(r.party())).findFirst().orElse(null);
                a.add(br == null ? null : br.medianAck());
                n.add(br == null ? null : br.medianAnswer());
            }
            ack.add(new Charts.Series(r.party(), r.party(), a));
            answer.add(new Charts.Series(r.party(), r.party(), n));
        }
        String bucketWord = t.t(step.toDays() == 7 ? "report.axis.week" : "report.axis.month");
        String ackChart = Charts.lines(id + "-ack", t.t("report.chart.ack.title", c.channel()), t.t("report.chart.ack.desc", c.channel()), labels, ack,
                t.t("report.axis.median"), bucketWord, t.t("report.chart.noData"), t);
        String answerChart = Charts.lines(id + "-answer", t.t("report.chart.answer.title", c.channel()), t.t("report.chart.answer.desc", c.channel()),
                labels, answer, t.t("report.axis.median"), bucketWord, t.t("report.chart.noData"), t);

        return new ReportView.ChannelReport(c.channel(), c.title(), rows(whole.rows()), parties, ackChart, table(labels, ack), answerChart,
                table(labels, answer), deadlines(id + "-deadlines", c.channel(), whole.rows(), false), uptimeChart(id + "-uptime", c, from, to, outages, whole.rows()),
                uptime(whole.rows(), from, to), rows(whole.exerciseRows()), deadlines(id + "-exercise", c.channel(), whole.exerciseRows(), true),
                whole.exerciseRows().stream().anyMatch(r -> r.cases() + r.pingTests() > 0));
    }

    private List<ReportView.Row> rows(List<ResponsivenessReport.Row> rows) {
        return rows.stream().map(r -> new ReportView.Row(pages.party(r.party()), r.cases(), r.requests(), r.ackedInTime(), r.ackMissed(),
                percent(r.ackOnTimePercent()), r.answeredInTime(), r.answerMissed(), percent(r.answerOnTimePercent()), t.duration(r.medianAck()),
                t.duration(r.medianAnswer()))).toList();
    }

    private String percent(Double p) {
        return p == null ? "—" : t.t("report.percent", p);
    }

    private List<ReportView.MedianRow> table(List<String> labels, List<Charts.Series> series) {
        List<ReportView.MedianRow> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            List<String> values = new ArrayList<>();
            for (Charts.Series s : series) values.add(t.duration(s.values().get(i)));
            out.add(new ReportView.MedianRow(labels.get(i), values));
        }
        return out;
    }

    private String deadlines(String id, String channel, List<ResponsivenessReport.Row> rows, boolean exercise) {
        List<Charts.Segment> segments = List.of(new Charts.Segment("met", t.t("report.seg.met"), false),
                new Charts.Segment("missed", t.t("report.seg.missed"), true));
        List<Charts.Group> groups = new ArrayList<>();
        for (ResponsivenessReport.Row r : rows) {
            groups.add(new Charts.Group(r.party(), heading(pages.party(r.party())), List.of(
                    new Charts.Bar(r.party(), t.t("report.bar.ack"), new int[] {r.ackedInTime(), r.ackMissed()}),
                    new Charts.Bar(r.party(), t.t("report.bar.answer"), new int[] {r.answeredInTime(), r.answerMissed()}))));
        }
        String key = exercise ? "report.chart.exercise" : "report.chart.deadlines";
        return Charts.stacked(id, t.t(key + ".title", channel), t.t(key + ".desc", channel), segments, groups, t.t("report.axis.deadlines"),
                t.t("report.chart.none"), t);
    }

    private String heading(Party p) {
        return p.displayName() == null || p.displayName().equals(p.origin()) ? p.origin() : t.t("report.partyHeading", p.displayName(), p.origin());
    }

    private String uptimeChart(String id, Charter c, Instant from, Instant to, Map<String, List<LinkStore.Outage>> outages,
                               List<ResponsivenessReport.Row> rows) {
        List<Charts.Lane> lanes = new ArrayList<>();
        for (Charter.Member m : c.members()) {
            if (m.origin().equals(node.origin())) continue;
            List<Charts.Down> downs = new ArrayList<>();
            for (LinkStore.Outage o : outages.getOrDefault(m.origin(), List.of())) {
                if (!o.startedAt().isBefore(to) || o.endedAt() != null && !o.endedAt().isAfter(from)) continue;
                downs.add(new Charts.Down(o.startedAt(), o.endedAt(), o.endedAt() == null ? t.t("report.outage.ongoing", t.time(o.startedAt()))
                        : t.t("report.outage.span", t.time(o.startedAt()), t.time(o.endedAt()))));
            }
            // the summary is the report's own figure, so chart, table and API agree
            ResponsivenessReport.Row r = rows.stream().filter(x -> x.party().equals(m.origin())).findFirst().orElseThrow();
            lanes.add(new Charts.Lane(m.origin(), heading(pages.party(m.origin())),
                    t.t("report.lane.summary", uptimePercent(r.downtime(), from, to), r.outages()), downs));
        }
        return Charts.timeline(id, t.t("report.chart.uptime.title", c.channel()), t.t("report.chart.uptime.desc", c.channel()), from, to, now,
                lanes, t.t("report.lane.up"), t.t("report.lane.down"), t.t("report.chart.noPeers"), t);
    }

    /** Up time as a share of the part of the period that has passed; 100 when none has. */
    private double uptimePercent(Duration down, Instant from, Instant to) {
        Instant end = now.isBefore(to) ? now : to;
        long span = Duration.between(from, end).toMillis();
        return span <= 0 ? 100.0 : Math.round(1000.0 * (span - down.toMillis()) / span) / 10.0;
    }

    /** The table beside the uptime chart: its figures are the report's own (outages and downtime over the period). */
    private List<ReportView.Uptime> uptime(List<ResponsivenessReport.Row> rows, Instant from, Instant to) {
        List<ReportView.Uptime> out = new ArrayList<>();
        for (ResponsivenessReport.Row r : rows) {
            if (r.party().equals(node.origin())) continue;
            String state = federation.links().link(r.party()).map(l -> l.down() ? "down" : l.lastSuccess() != null ? "up" : "unknown").orElse("unknown");
            out.add(new ReportView.Uptime(pages.party(r.party()), t.t("peers.line." + state), r.outages(), t.duration(r.downtime()),
                    t.t("report.percent", uptimePercent(r.downtime(), from, to))));
        }
        return out;
    }
}
