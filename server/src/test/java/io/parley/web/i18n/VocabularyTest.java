package io.parley.web.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.cases.CaseBook;
import io.parley.charter.Level;
import io.parley.norms.CommitmentCatalogue;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.CaseState;
import io.parley.timeline.DeadlineStatus;
import io.parley.timeline.Decision;
import io.parley.timeline.ReasonCode;

/**
 * Every structured value a message can carry has words in all six languages: a reason code, category, commitment,
 * request type or state added to the formats without its translations fails here rather than showing as a raw wire
 * value on a desk.
 */
class VocabularyTest {
    @Test
    void everyPublishedValueHasAKeyInEveryLanguage() {
        List<String> keys = new ArrayList<>();
        for (ReasonCode c : ReasonCode.values()) {
            keys.add(Vocabulary.key("reason", c.wire()));
            keys.add(Vocabulary.key("reason", c.wire()) + ".meaning");
        }
        for (IncidentTaxonomy.Category c : IncidentTaxonomy.shipped().all()) {
            keys.add(Vocabulary.key("category", c.code()));
            keys.add(Vocabulary.key("classification", c.classification()));
        }
        for (CommitmentCatalogue.Entry e : CommitmentCatalogue.shipped().all()) {
            keys.add(Vocabulary.key("commitment", e.id()));
            keys.add(Vocabulary.key("source", e.source()));
        }
        for (String t : CaseBook.REQUEST_TYPES) keys.add(Vocabulary.key("type", t));
        for (Priority p : Priority.values()) keys.add(Vocabulary.key("priority", p.wire()));
        for (Kind k : Kind.values()) keys.add(Vocabulary.key("kind", k.wire()));
        for (CaseState s : CaseState.values()) keys.add(Vocabulary.key("state", s.wire()));
        for (DeadlineStatus s : DeadlineStatus.values()) keys.add(Vocabulary.key("deadline", s.wire()));
        for (Decision.Choice c : Decision.Choice.values()) {
            keys.add(Vocabulary.key("decision", c.wire()));
            keys.add(Vocabulary.key("decided", c.wire()));
        }
        for (Level l : Level.values()) keys.add(Vocabulary.key("level", l.wire()));
        List<String> missing = new ArrayList<>();
        for (Lang lang : Lang.values()) {
            for (String k : keys) if (!Texts.of(lang).has(k)) missing.add(lang.code() + " " + k);
        }
        assertEquals(List.of(), missing);
        assertEquals(40, CommitmentCatalogue.shipped().all().size(), "the catalogue this test was written against");
    }

    @Test
    void aStructuredValueReadsInTheReadersLanguageAndAnUnknownOneAsItsWireValue() {
        Vocabulary ru = Vocabulary.of(Texts.of(Lang.RU)), en = Vocabulary.of(Texts.of(Lang.EN));
        assertEquals("Сохранение данных", ru.requestType("preservation"));
        assertEquals("Data preservation", en.requestType("preservation"));
        assertEquals("Молния", ru.priority("flash"));
        assertEquals("Ст. 29 Оперативное обеспечение сохранности данных", ru.commitment("budapest:29"));
        assertEquals("Outside our jurisdiction", en.reasonCode("outside-jurisdiction"));
        assertEquals("Доступность: Распределённый отказ в обслуживании (DDoS)", ru.categoryWithClass("availability/ddos"));
        assertEquals("takedown", ru.requestType("takedown"), "a type from a newer peer shows as sent");
        assertEquals("x-new", ru.reasonCode("x-new"));
        assertEquals("в работе", ru.caseState("in_progress").toLowerCase(java.util.Locale.ROOT));
        assertEquals("не требуется", ru.deadlineStatus("not applicable"));
        assertNotEquals(en.commitment("nowhere:1"), "nowhere:1");
    }
}
