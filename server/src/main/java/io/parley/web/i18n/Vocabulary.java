package io.parley.web.i18n;

import java.time.format.TextStyle;
import java.util.Locale;

import io.parley.charter.Practice;
import io.parley.norms.CommitmentCatalogue;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.ReasonCode;

/**
 * The one rule from a message's structured values (wire values: kinds, request types, priorities, case states,
 * deadline statuses, decisions, reason codes, incident categories, commitment ids, channel levels) to words in the
 * reader's language, from the {@code catalogue} bundle. Because both desks of a line read the same wire value, each
 * sees a request in its own language; the free text beside it is never translated here.
 *
 * <p>A value this version does not know (a newer peer's request type, say) is shown as its wire value, never as a
 * bundle key or a blank. Commitment ids hold a colon, which a properties key cannot: their keys write it as a dot.
 */
public final class Vocabulary {
    private static final String PREFIX = "catalogue.";

    private final Texts texts;

    private Vocabulary(Texts texts) {
        this.texts = texts;
    }

    public static Vocabulary of(Texts texts) {
        return new Vocabulary(texts);
    }

    /** The bundle key of a wire value in one group ({@code priority}, {@code category}, ...): the rule, in one place. */
    public static String key(String group, String wire) {
        return PREFIX + group + "." + wire.replace(':', '.');
    }

    /** The words for {@code wire} in {@code group}, or the wire value itself when this version has none. */
    public String word(String group, String wire) {
        if (wire == null || wire.isEmpty()) return "";
        String key = key(group, wire);
        String s = texts.t(key);
        return s.equals(key) ? wire : s;
    }

    /** Message kind: request, notify, ack, ... */
    public String kind(String wire) {
        return word("kind", wire);
    }

    public String requestType(String wire) {
        return word("type", wire);
    }

    public String priority(String wire) {
        return word("priority", wire);
    }

    /** A case state: open, acknowledged, in_progress, answered, closed, retracted, declined. */
    public String caseState(String wire) {
        return word("state", wire);
    }

    /** A deadline's status (met, missed, pending, declined, not_applicable; a space for the underscore is accepted). */
    public String deadlineStatus(String wire) {
        return wire == null ? "" : word("deadline", wire.replace(' ', '_'));
    }

    /** Which deadline: ack or answer. */
    public String deadlineName(String wire) {
        return word("deadlineName", wire);
    }

    /** A decision as a choice to make: Accept, Decline, Defer. */
    public String decision(String wire) {
        return word("decision", wire);
    }

    /** A decision as made: Accepted, Declined, Deferred. */
    public String decided(String wire) {
        return word("decided", wire);
    }

    /** A reason code's short name. */
    public String reasonCode(String wire) {
        return word("reason", wire);
    }

    /** What a reason code means, in a sentence. */
    public String reasonMeaning(String wire) {
        return wire == null ? "" : ReasonCode.fromWire(wire).isPresent() ? texts.t(key("reason", wire) + ".meaning") : wire;
    }

    /** An incident category ({@code availability/ddos}): its title. */
    public String category(String code) {
        return word("category", code);
    }

    /** "Availability: Distributed denial of service", as a select lists it. */
    public String categoryWithClass(String code) {
        int slash = code == null ? -1 : code.indexOf('/');
        if (slash <= 0 || IncidentTaxonomy.shipped().find(code).isEmpty()) return code == null ? "" : code;
        return word("classification", code.substring(0, slash)) + ": " + category(code);
    }

    /** A catalogue commitment's short title in this language; a free-form one is its own text, as its charter wrote it. */
    public String commitment(Practice.Commitment c) {
        if (c.freeForm()) return c.text();
        return commitment(c.id());
    }

    /** A catalogue commitment's short title by id; an id this version does not hold, named so. */
    public String commitment(String id) {
        if (CommitmentCatalogue.shipped().find(id).isEmpty()) return texts.t(PREFIX + "commitment.unknown", id);
        return word("commitment", id);
    }

    /**
     * The authoritative English wording of a commitment: its catalogue title and paraphrase (the source documents are
     * authoritative over both), or a free-form commitment's own text.
     */
    public static String commitmentEnglish(Practice.Commitment c) {
        if (c.freeForm()) return c.text();
        return commitmentEnglish(c.id());
    }

    public static String commitmentEnglish(String id) {
        return CommitmentCatalogue.shipped().find(id).map(e -> e.title() + ": " + e.summary()).orElse(id);
    }

    /** The source document of a catalogue commitment ({@code un-gge-2015}, {@code osce-cbm}, {@code budapest}). */
    public String commitmentSource(String id) {
        int colon = id.indexOf(':');
        return colon <= 0 ? "" : word("source", id.substring(0, colon));
    }

    public String level(String wire) {
        return word("level", wire);
    }

    public String channelState(String wire) {
        return word("channelState", wire);
    }

    public String holdState(String wire) {
        return word("hold", wire);
    }

    public String delivery(String wire) {
        return word("delivery", wire);
    }

    /** A line test's mode: auto (the node answers) or human (a duty officer must). */
    public String pingMode(String wire) {
        return word("ping", wire);
    }

    /** A day of the week as this language writes it (scheduled ping exercises): "Monday", "понедельник". */
    public String day(java.time.DayOfWeek d) {
        return d.getDisplayName(TextStyle.FULL_STANDALONE, texts.lang().locale());
    }

    /** The language tag a free text carries, as its visible tag: "EN", "RU", "PT-BR". */
    public static String tag(String lang) {
        return lang == null ? "" : lang.toUpperCase(Locale.ROOT);
    }
}
