package io.parley.web.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;

/** The bundles are complete in all six languages, and every pattern is one ICU can format with the English arguments. */
class TextsTest {
    private static final Pattern ARG = Pattern.compile("\\{(\\d+)");

    @Test
    void everyKeyIsInEveryLanguageAndNoWhereElse() {
        List<String> problems = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        for (String bundle : Texts.BUNDLES) {
            Map<String, String> english = Texts.read(bundle, Lang.EN);
            assertTrue(!english.isEmpty(), "bundle " + bundle + " has no English file");
            for (String key : english.keySet()) {
                String before = owner.putIfAbsent(key, bundle);
                if (before != null) problems.add(key + " is in both " + before + " and " + bundle);
            }
            for (Lang lang : Lang.values()) {
                Map<String, String> strings = Texts.read(bundle, lang);
                Set<String> missing = new TreeSet<>(english.keySet());
                missing.removeAll(strings.keySet());
                Set<String> extra = new TreeSet<>(strings.keySet());
                extra.removeAll(english.keySet());
                if (!missing.isEmpty()) problems.add(bundle + "_" + lang.code() + " lacks " + missing);
                if (!extra.isEmpty()) problems.add(bundle + "_" + lang.code() + " has keys English does not: " + extra);
                for (var e : strings.entrySet()) {
                    if (e.getValue().isBlank()) problems.add(bundle + "_" + lang.code() + " " + e.getKey() + " is blank");
                    String en = english.get(e.getKey());
                    if (en != null && !arguments(en).equals(arguments(e.getValue()))) {
                        problems.add(bundle + "_" + lang.code() + " " + e.getKey() + " uses arguments " + arguments(e.getValue()) + ", English " + arguments(en));
                    }
                    try {
                        new MessageFormat(e.getValue(), ULocale.forLocale(lang.locale()));
                    } catch (IllegalArgumentException bad) {
                        problems.add(bundle + "_" + lang.code() + " " + e.getKey() + " is no valid pattern: " + bad.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Set<String> arguments(String pattern) {
        Set<String> out = new TreeSet<>();
        Matcher m = ARG.matcher(pattern);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void timesAndDurationsFollowTheLanguage() {
        Instant t = Instant.parse("2026-11-23T08:00:12Z");
        assertEquals("2026-11-23 08:00 UTC", Texts.of(Lang.EN).time(t));
        assertEquals("\u20662026-11-23 08:00\u2069 UTC", Texts.of(Lang.AR).time(t),
                "Arabic keeps Latin digits for times read out between desks, the date and time one left-to-right run");
        assertEquals("2h 30m", Texts.of(Lang.EN).duration(Duration.ofMinutes(150)));
        assertTrue(Texts.of(Lang.RU).duration(Duration.ofMinutes(150)).contains("ч"), Texts.of(Lang.RU).duration(Duration.ofMinutes(150)));
        assertEquals("40m ago", Texts.of(Lang.EN).relative(t.minusSeconds(2400), t));
        assertTrue(Texts.of(Lang.RU).relative(t.minusSeconds(2400), t).endsWith("назад"));
        assertEquals("1,234", Texts.of(Lang.EN).number(1234));
    }

    @Test
    void theBrowsersLanguageIsUsedWhenItIsOneOfTheSix() {
        assertEquals(Lang.RU, Lang.fromAcceptLanguage("ru-RU,ru;q=0.9,en;q=0.8").orElseThrow());
        assertEquals(Lang.FR, Lang.fromAcceptLanguage("de-DE, fr;q=0.7, en;q=0.5").orElseThrow());
        assertEquals(Lang.ZH, Lang.fromAcceptLanguage("zh-Hans-CN").orElseThrow());
        assertTrue(Lang.fromAcceptLanguage("de, ja").isEmpty());
        assertTrue(Lang.fromAcceptLanguage("ru;q=0").isEmpty());
        assertTrue(Lang.fromAcceptLanguage(";;;===").isEmpty(), "a malformed header is no preference, not an error");
    }
}
