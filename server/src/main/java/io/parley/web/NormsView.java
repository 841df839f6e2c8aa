package io.parley.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.parley.cases.NormsReport;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.norms.CommitmentCatalogue;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.CaseNorms;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.PreservationHold;
import io.parley.web.WebModel.Option;

/** What the pages show of commitments, incident categories and preservation holds, formatted for the templates. */
public final class NormsView {
    private NormsView() {}

    /** A case's category (title and code), the commitments it cites (titles) and its hold, or null for each it lacks. */
    public record Case(Option category, String disarmTechnique, List<Option> commitments, Hold hold) {
        public boolean any() {
            return category != null || !commitments.isEmpty() || hold != null;
        }
    }

    /** A preservation hold: its end, how far off (the countdown), its state, and its history. */
    public record Hold(int days, String until, String untilIso, String relative, String state, int extensions, String releasedAt, String opener) {}

    /** One line of the channel page's commitment or category figures. */
    public record Row(String id, String title, int cases, int requests, int answeredInTime, int answeredLate, int unanswered, int pending, int declined) {}

    public record Report(List<Row> commitments, List<Row> categories) {}

    static Case of(CaseTimeline t, Charter charter, Instant now, io.parley.web.i18n.Texts texts) {
        CaseNorms n = t.norms();
        Option category = n.category() == null ? null
                : new Option(n.category(), IncidentTaxonomy.shipped().find(n.category()).map(IncidentTaxonomy.Category::title).orElse(n.category()));
        List<Option> cited = new ArrayList<>();
        for (String id : n.commitments()) {
            Practice.Commitment c = charter == null ? null : charter.practice().commitments().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
            cited.add(new Option(id, c == null ? id : CommitmentCatalogue.shipped().titleOf(c)));
        }
        PreservationHold h = n.hold();
        Hold hold = h == null ? null : new Hold(h.days(), texts.time(h.until()), Fmt.iso(h.until()), texts.relative(h.until(), now), h.state(now).wire(),
                h.extensions().size(), h.releasedAt() == null ? null : texts.time(h.releasedAt()), t.openedBy());
        return new Case(category, n.disarmTechnique(), cited, hold);
    }

    /** The charter's commitments as the channel page and the new-case form list them: id and title. */
    static List<Option> commitments(Charter c) {
        return c.practice().commitments().stream().map(x -> new Option(x.id(), CommitmentCatalogue.shipped().titleOf(x))).toList();
    }

    /** Every category of the taxonomy, for the new-case form's select: code and "classification: title". */
    static List<Option> categories(io.parley.web.i18n.Texts texts) {
        return IncidentTaxonomy.shipped().all().stream().map(c -> new Option(c.code(), texts.label("taxonomy", c.classification()) + ": " + c.title())).toList();
    }

    static Report report(Charter c, List<CaseTimeline> timelines, Instant from, Instant to, Instant now) {
        NormsReport r = NormsReport.compute(c, timelines, from, to, now);
        return new Report(rows(r.commitments()), rows(r.categories()));
    }

    private static List<Row> rows(List<NormsReport.Line> lines) {
        return lines.stream().map(l -> new Row(l.id(), l.title(), l.cases(), l.requests(), l.answeredInTime(), l.answeredLate(), l.unanswered(), l.pending(), l.declined())).toList();
    }
}
