package io.parley.web;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.CourtesyTranslation;
import io.parley.web.WebModel.Party;
import io.parley.web.i18n.Texts;

/**
 * The courtesy translations of a case page ({@code tag/translations.jte}): for each timeline entry, the translations
 * of its free text that count ({@link CourtesyTranslation}, as the reader's view of the case computes them, so a
 * TLP:RED message the reader may not read shows no translation either), and whether the reader may add one.
 *
 * @param translatable the entries whose free text the reader can read and this node may translate
 * @param translationOf for an entry that is itself a counted translation, the entry it translates
 */
public record TranslationsView(Map<String, List<Shown>> byEntry, Set<String> translatable, Map<String, String> originalLang, String suggestedLang,
                               Map<String, String> translationOf) {

    /** One translation as the page shows it: its translator (never the original's author), when, into what, and the text. */
    public record Shown(Party by, String at, String atIso, String lang, String langName, String text, String hash) {
        /** The translator as the label names it: its name and origin, or its origin alone. */
        public String who() {
            return by.displayName() == null || by.displayName().equals(by.origin()) ? by.origin() : by.displayName() + " (" + by.origin() + ")";
        }
    }

    /** The translations shown next to the entry whose envelope hash is {@code hash}, in the order they were signed. */
    public List<Shown> of(String hash) {
        return byEntry.getOrDefault(hash, List.of());
    }

    /** The entry that entry {@code hash} translates, when it is a translation shown beside it; null otherwise. */
    public String translates(String hash) {
        return translationOf.get(hash);
    }

    /** Whether the entry {@code hash} gets the "add a courtesy translation" form. */
    public boolean canTranslate(String hash) {
        return translatable.contains(hash);
    }

    /** The language the form suggests for entry {@code hash}: the reader's, unless the original is in it already. */
    public String suggestion(String hash) {
        String original = originalLang.get(hash);
        return original != null && original.toLowerCase(Locale.ROOT).startsWith(suggestedLang) ? "" : suggestedLang;
    }

    /**
     * The view of case {@code t} (the reader's view) with its envelopes as the reader sees them; {@code member}: this
     * node is a member of the case's channel, so it may sign a translation.
     */
    static TranslationsView of(CaseTimeline t, List<StoredEnvelope> envelopes, boolean member, Function<String, Party> party, Texts texts) {
        Map<String, List<Shown>> by = new HashMap<>();
        Map<String, String> translationOf = new HashMap<>();
        for (CaseTimeline.Event e : t.events()) {
            e.translations().forEach(x -> translationOf.put(x.hash(), e.hash()));
            if (e.translations().isEmpty()) continue;
            by.put(e.hash(), e.translations().stream().map(x -> new Shown(party.apply(x.by()), texts.seconds(x.at()), x.at().toString(), x.lang(),
                    Locale.forLanguageTag(x.lang()).getDisplayName(texts.lang().locale()), x.text(), x.hash())).toList());
        }
        Set<String> translatable = new HashSet<>();
        Map<String, String> langs = new HashMap<>();
        for (StoredEnvelope s : envelopes) {
            var body = s.envelope().body();
            if (body.path("lang").isTextual()) langs.put(s.hash(), body.get("lang").textValue());
            if (member && !CourtesyTranslation.isTranslation(s.envelope()) && CourtesyTranslation.hasFreeText(body)) translatable.add(s.hash());
        }
        return new TranslationsView(Map.copyOf(by), Set.copyOf(translatable), Map.copyOf(langs), texts.lang().code(), Map.copyOf(translationOf));
    }
}
