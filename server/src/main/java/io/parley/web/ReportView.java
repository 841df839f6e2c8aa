package io.parley.web;

import java.util.List;

import io.parley.web.WebModel.Layout;
import io.parley.web.WebModel.Option;
import io.parley.web.WebModel.Party;

/** What the report page ({@code /reports}) shows: plain, formatted values and finished chart markup. */
public final class ReportView {
    private ReportView() {}

    /**
     * The page: the period and channel chosen (as the form shows them: dates, UTC, the end day included), the channels
     * to choose from, and one report per channel.
     */
    public record Page(Layout layout, String from, String to, String channel, List<Option> channels, String period, String computedAt,
                       String bucket, List<ChannelReport> reports) {}

    /**
     * One channel's report. rows: the real figures per party, as {@link io.parley.cases.ResponsivenessReport} computes them;
     * ackChart/answerChart: medians per bucket (tables: ackTable/answerTable, a column per party); deadlinesChart: met
     * and missed; uptimeChart: the line to each peer; exercise*: drills, counted the same way and apart.
     */
    public record ChannelReport(String channel, String title, List<Row> rows, List<Party> parties, String ackChart, List<MedianRow> ackTable,
                                String answerChart, List<MedianRow> answerTable, String deadlinesChart, String uptimeChart, List<Uptime> uptime,
                                List<Row> exerciseRows, String exerciseChart, boolean exercises) {}

    /** A party's figures over the period. */
    public record Row(Party party, int cases, int requests, int ackMet, int ackMissed, String ackOnTime, int answerMet, int answerMissed,
                      String answerOnTime, String medianAck, String medianAnswer) {}

    /** One bucket (its first day) and a party's median in it, in the order of {@link ChannelReport#parties}. */
    public record MedianRow(String bucket, List<String> values) {}

    /** The line to a peer over the period, as this node recorded its deliveries. */
    public record Uptime(Party party, String state, int outages, String downtime, String uptime) {}
}
