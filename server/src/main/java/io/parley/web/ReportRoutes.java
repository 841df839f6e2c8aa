package io.parley.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.cases.CaseBook;
import io.parley.charter.Charter;
import io.parley.federation.Federation;
import io.parley.node.Node;
import io.parley.web.i18n.Texts;

/**
 * {@code GET /reports}: the responsiveness report of every channel (or of {@code ?channel=}) over a period
 * ({@code ?from=&to=}, dates in UTC with the end day included, or RFC 3339 instants; default the last 30 days), as
 * tables and as charts drawn on the server ({@link io.parley.web.report.Charts}), printable for a meeting (the
 * stylesheet's print rules). It shows only the cases the reader may read (the marking policy), like every page.
 */
final class ReportRoutes {
    /** The longest period a report covers: bounds the work of one request (a bucket is computed per week or month). */
    static final Duration MAX_PERIOD = Duration.ofDays(400);

    private final Node node;
    private final Federation federation;
    private final CaseBook cases;
    private final WebRoutes web;

    ReportRoutes(Node node, Federation federation, CaseBook cases, WebRoutes web) {
        this.node = node;
        this.federation = federation;
        this.cases = cases;
        this.web = web;
    }

    void register(Javalin app) {
        app.get("/reports", web.page(this::show));
    }

    /** A period as asked: [from, to), and the form's two dates. */
    record Period(Instant from, Instant to, String fromField, String toField) {}

    private void show(Context ctx, WebRoutes.Session s) {
        Texts t = s.pages().texts();
        Period p = period(ctx.queryParam("from"), ctx.queryParam("to"), s.pages().now(), t);
        String only = ctx.queryParam("channel") == null || ctx.queryParam("channel").isBlank() ? null : ctx.queryParam("channel").strip();
        List<Charter> charters = node.channels().all();
        List<Charter> shown = only == null ? charters : charters.stream().filter(c -> c.channel().equals(only)).toList();
        if (only != null && shown.isEmpty()) {
            throw new WebRoutes.WebError(404, t.t("report.error.channel.heading"), t.t("report.error.channel", only));
        }
        ReportPages builder = new ReportPages(node, federation, cases, node.messageAccess().reader(s.account()), s.pages());
        List<ReportView.ChannelReport> reports = new ArrayList<>();
        for (Charter c : shown) reports.add(builder.channel(c, p.from(), p.to(), reports.size()));
        List<WebModel.Option> options = new ArrayList<>();
        for (Charter c : charters) options.add(new WebModel.Option(c.channel(), t.t("report.channelOption", c.title(), c.channel())));
        String bucket = t.t(ReportPages.bucket(p.from(), p.to()).toDays() == 7 ? "report.bucket.week" : "report.bucket.month");
        var model = new ReportView.Page(s.layout(t.t("report.title"), "reports", 0, null, false), p.fromField(), p.toField(),
                only == null ? "" : only, options, t.t("report.period", t.time(p.from()), t.time(p.to())), t.time(s.pages().now()), bucket, reports);
        web.render(ctx, 200, "reports.jte", model);
    }

    /**
     * The period of {@code from} and {@code to}: a date (yyyy-MM-dd, UTC; the end date is included, so the period runs
     * to the start of the next day) or an instant. Default: the 30 days up to and including today.
     */
    static Period period(String fromText, String toText, Instant now, Texts t) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant to = toText == null || toText.isBlank() ? today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC) : parse(toText.strip(), true, t);
        Instant from = fromText == null || fromText.isBlank() ? to.minus(Duration.ofDays(30)) : parse(fromText.strip(), false, t);
        if (!from.isBefore(to)) throw new WebRoutes.WebError(422, t.t("report.error.period.heading"), t.t("report.error.order"));
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new WebRoutes.WebError(422, t.t("report.error.period.heading"), t.t("report.error.long", MAX_PERIOD.toDays()));
        }
        return new Period(from, to, field(from, false), field(to, true));
    }

    private static Instant parse(String v, boolean end, Texts t) {
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (end ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            Instant i = Instant.parse(v);
            if (i.isBefore(Instant.parse("1970-01-01T00:00:00Z")) || i.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) throw new DateTimeParseException(v, v, 0);
            return i;
        } catch (DateTimeParseException e) {
            throw new WebRoutes.WebError(422, t.t("report.error.period.heading"), t.t("report.error.date", v));
        }
    }

    /** The form's date for a period bound: the end's last included day. */
    private static String field(Instant at, boolean end) {
        Instant day = end && at.equals(at.truncatedTo(ChronoUnit.DAYS)) ? at.minus(Duration.ofDays(1)) : at;
        return LocalDate.ofInstant(day, ZoneOffset.UTC).toString();
    }
}
