package io.parley.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.parley.cases.NormsReport;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.CaseNorms;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.PreservationHold;
import io.parley.web.WebModel.Option;
import io.parley.web.i18n.Texts;
import io.parley.web.i18n.Vocabulary;

/**
 * What the pages show of commitments, incident categories and preservation holds, in the reader's language (through
 * {@link Vocabulary}), with each commitment's authoritative English kept beside its translated title.
 */
public final class NormsView {
    private NormsView() {}

    /** A case's category (title in the reader's words and code), the commitments it cites and its hold, or null for each it lacks. */
    public record Case(Option category, String disarmTechnique, List<Commitment> commitments, Hold hold) {
        public boolean any() {
            return category != null || !commitments.isEmpty() || hold != null;
        }
    }

    /**
     * A commitment as the pages show it: its id, its short title in the reader's language, and the authoritative
     * English (the catalogue's title and paraphrase, or a free-form commitment's own text) for a title attribute or a
     * details element.
     */
    public record Commitment(String id, String title, String english) {}

    /** A preservation hold: its end, how far off (the countdown), its state, and its history. */
    public record Hold(int days, String until, String untilIso, String relative, String state, int extensions, String releasedAt, String opener) {}

    /** One line of the channel page's commitment or category figures. */
    public record Row(String id, String title, int cases, int requests, int answeredInTime, int answeredLate, int unanswered, int pending, int declined) {}

    public record Report(List<Row> commitments, List<Row> categories) {}

    static Case of(CaseTimeline t, Charter charter, Instant now, Texts texts) {
        Vocabulary words = Vocabulary.of(texts);
        CaseNorms n = t.norms();
        Option category = n.category() == null ? null : new Option(n.category(), words.categoryWithClass(n.category()));
        List<Commitment> cited = new ArrayList<>();
        for (String id : n.commitments()) {
            Practice.Commitment c = charter == null ? null : charter.practice().commitments().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
            cited.add(c == null ? new Commitment(id, id, id) : commitment(c, words));
        }
        PreservationHold h = n.hold();
        Hold hold = h == null ? null : new Hold(h.days(), texts.time(h.until()), Fmt.iso(h.until()), texts.relative(h.until(), now), h.state(now).wire(),
                h.extensions().size(), h.releasedAt() == null ? null : texts.time(h.releasedAt()), t.openedBy());
        return new Case(category, n.disarmTechnique(), cited, hold);
    }

    private static Commitment commitment(Practice.Commitment c, Vocabulary words) {
        return new Commitment(c.id(), words.commitment(c), Vocabulary.commitmentEnglish(c));
    }

    /** The charter's commitments as the channel page and the new-case form list them. */
    static List<Commitment> commitments(Charter c, Texts texts) {
        Vocabulary words = Vocabulary.of(texts);
        return c.practice().commitments().stream().map(x -> commitment(x, words)).toList();
    }

    /** Every category of the taxonomy, for the new-case form's select: code and "classification: title" in the reader's words. */
    static List<Option> categories(Texts texts) {
        Vocabulary words = Vocabulary.of(texts);
        return IncidentTaxonomy.shipped().all().stream().map(c -> new Option(c.code(), words.categoryWithClass(c.code()))).toList();
    }

    /** The channel page's figures per commitment and per category, titled in the reader's words. */
    static Report report(Charter c, List<CaseTimeline> timelines, Instant from, Instant to, Instant now, Texts texts) {
        Vocabulary words = Vocabulary.of(texts);
        NormsReport r = NormsReport.compute(c, timelines, from, to, now);
        List<Row> commitments = rows(r.commitments(), l -> c.practice().commitments().stream().filter(x -> x.id().equals(l.id())).findFirst()
                .map(words::commitment).orElse(l.title()));
        List<Row> categories = rows(r.categories(), l -> IncidentTaxonomy.shipped().find(l.id()).isPresent() ? words.categoryWithClass(l.id()) : l.title());
        return new Report(commitments, categories);
    }

    private static List<Row> rows(List<NormsReport.Line> lines, java.util.function.Function<NormsReport.Line, String> title) {
        return lines.stream().map(l -> new Row(l.id(), title.apply(l), l.cases(), l.requests(), l.answeredInTime(), l.answeredLate(), l.unanswered(),
                l.pending(), l.declined())).toList();
    }
}
