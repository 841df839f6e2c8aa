package io.parley.web.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.parley.envelope.Tlp;

/** Wire values in the reader's words (Texts.label, tlpMeaning), and durations and names as message arguments. */
class WireWordsTest {
    @Test
    void aWireValueIsShownInTheReadersWordsAndAnUnknownOneAsWritten() {
        assertEquals("In progress", Texts.of(Lang.EN).label("state", "in_progress"));
        assertEquals("В работе", Texts.of(Lang.RU).label("state", "in_progress"));
        assertEquals("Flash", Texts.of(Lang.EN).label("priority", "flash"));
        assertEquals("Молния", Texts.of(Lang.RU).label("priority", "flash"));
        assertEquals("Suspended by peer", Texts.of(Lang.RU).label("state", "suspended_by_peer"), "a value a newer peer sent: as written, never a key");
        assertEquals("", Texts.of(Lang.EN).label("state", null));
    }

    @Test
    void aTlpBadgeKeepsItsWireTextAndItsMeaningIsTranslated() {
        assertEquals("TLP:AMBER+STRICT: limited disclosure, the recipient's organisation only", Texts.of(Lang.EN).tlpMeaning(Tlp.AMBER_STRICT));
        assertEquals("TLP:RED: только для конкретных получателей лично", Texts.of(Lang.RU).tlpMeaning(Tlp.RED));
    }

    @Test
    void durationArgumentsAndQuotedNamesAreWrittenInTheLanguage() {
        assertEquals("overdue by 5m", Texts.of(Lang.EN).t("desk.deadline.overdueBy", Duration.ofMinutes(5)));
        assertEquals("просрочено на 2 ч 30 мин", Texts.of(Lang.RU).t("desk.deadline.overdueBy", Duration.ofMinutes(150)));
        // an argument in quotes is an argument: ICU would read '{0}' in ASCII quotes as literal text
        assertEquals("No case ‘x-1’ is known on this node.", Texts.of(Lang.EN).t("desk.error.noCase.text", "x-1"));
        assertEquals("Дело «x-1» на этом узле неизвестно.", Texts.of(Lang.RU).t("desk.error.noCase.text", "x-1"));
    }
}
