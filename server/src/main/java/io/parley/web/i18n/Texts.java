package io.parley.web.i18n;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.ibm.icu.text.MeasureFormat;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.NumberFormat;
import com.ibm.icu.util.Measure;
import com.ibm.icu.util.MeasureUnit;
import com.ibm.icu.util.ULocale;

/**
 * Every user-facing string of the desk in one language, read from the resource bundles {@code i18n/<bundle>_<lang>.properties}
 * (UTF-8). Templates and page builders ask for a key, never write the text. A key missing in a language falls back to
 * English and then to the key itself, so a gap shows as a visible key rather than a blank; {@code TextsTest} fails on
 * any gap, so none ships.
 *
 * <p>Also the one place that writes times, numbers and durations for a reader: in the language's own way, always in
 * UTC (the desks of a line sit in different time zones; the footer says UTC).
 */
public final class Texts {
    /**
     * The bundles, one per part of the desk, so that parts can be translated and reviewed apart. A key is unique across
     * them (the test checks).
     */
    public static final List<String> BUNDLES = List.of("desk", "live", "report", "peers", "admin", "translation", "notify", "evidence", "verify",
            "dashboard", "signin", "account", "users", "audit", "catalogue", "case", "channel", "newcase");

    private static final Map<Lang, Texts> ALL = load();

    private final Lang lang;
    private final Map<String, String> strings;
    private final Map<String, String> fallback;
    private final DateTimeFormatter minutes;
    private final DateTimeFormatter seconds;
    private final DateTimeFormatter date;
    private final ULocale ulocale;
    private final MeasureFormat units;

    private Texts(Lang lang, Map<String, String> strings, Map<String, String> fallback) {
        this.lang = lang;
        this.strings = strings;
        this.fallback = fallback;
        // Fixed numeric patterns (ISO order, 24-hour clock) in every language: a deadline must read the same on both
        // desks; the words around it are translated.
        this.minutes = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", lang.locale()).withZone(ZoneOffset.UTC);
        this.seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", lang.locale()).withZone(ZoneOffset.UTC);
        this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd", lang.locale()).withZone(ZoneOffset.UTC);
        this.ulocale = ULocale.forLocale(lang.locale());
        this.units = MeasureFormat.getInstance(ulocale, MeasureFormat.FormatWidth.NARROW);
    }

    public static Texts of(Lang lang) {
        return ALL.get(lang);
    }

    public static Texts english() {
        return ALL.get(Lang.EN);
    }

    public Lang lang() {
        return lang;
    }

    /**
     * The text of {@code key}; with arguments, an ICU {@link MessageFormat} pattern in this language's locale, so that
     * {@code {0, plural, one {# час} few {# часа} many {# часов} other {# часа}}} follows each language's plural rules.
     * A lone apostrophe is literal (ICU's default), so "l'officier" needs no escaping; but an apostrophe right before a
     * brace quotes it, so patterns put an argument in typographic quotes (‘{0}’, «{0}»), never in ASCII ones. A
     * {@link Duration} argument is written as {@link #duration} and an {@link Instant} as {@link #time}, in this language.
     */
    public String t(String key, Object... args) {
        String pattern = strings.get(key);
        if (pattern == null) pattern = fallback.get(key);
        if (pattern == null) return key;
        if (args.length == 0) return pattern;
        Object[] written = args.clone();
        for (int i = 0; i < written.length; i++) {
            if (written[i] instanceof Duration d) written[i] = duration(d);
            else if (written[i] instanceof Instant at) written[i] = time(at);
        }
        return new MessageFormat(pattern, ulocale).format(written);
    }

    /** True if this language (not the English fallback) has {@code key}. */
    public boolean has(String key) {
        return strings.containsKey(key);
    }

    /** Every key of this language. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(strings.keySet());
    }

    // ---- times, numbers, durations ----

    /** {@code 2026-11-23 08:00 UTC} (the UTC word translated), or a dash. */
    public String time(Instant t) {
        return t == null ? "—" : t("fmt.utc", leftToRight(minutes.format(t)));
    }

    /** {@code 2026-11-23 08:00:12 UTC}, or a dash. */
    public String seconds(Instant t) {
        return t == null ? "—" : t("fmt.utc", leftToRight(seconds.format(t)));
    }

    /** {@code 2026-11-23}, or a dash. */
    public String date(Instant t) {
        return t == null ? "—" : leftToRight(date.format(t));
    }

    /**
     * In a right-to-left language, a date or time as one left-to-right run (Unicode isolates, U+2066 … U+2069): the
     * bidirectional algorithm would otherwise lay "2026-11-23 08:00" out as "08:00 2026-11-23" in an Arabic line.
     */
    private String leftToRight(String s) {
        return lang.rtl() ? "\u2066" + s + "\u2069" : s;
    }

    /** A whole number with this language's grouping. */
    public String number(long n) {
        return NumberFormat.getIntegerInstance(ulocale).format(n);
    }

    /**
     * A duration as a person says it in this language, to two units at most: "45s", "15m", "2h 30m", "1d 4h"
     * ("2 ч 30 мин", "2h 30min", "2小时30分钟"), with CLDR's unit names.
     */
    public String duration(Duration d) {
        if (d == null) return "—";
        long s = Math.abs(d.toSeconds());
        if (s < 60) return units.formatMeasures(new Measure(s, MeasureUnit.SECOND));
        long m = s / 60;
        if (m < 60) return units.formatMeasures(new Measure(m, MeasureUnit.MINUTE));
        long h = m / 60, rm = m % 60;
        if (h < 24) {
            return rm == 0 ? units.formatMeasures(new Measure(h, MeasureUnit.HOUR))
                    : units.formatMeasures(new Measure(h, MeasureUnit.HOUR), new Measure(rm, MeasureUnit.MINUTE));
        }
        long days = h / 24, rh = h % 24;
        return rh == 0 ? units.formatMeasures(new Measure(days, MeasureUnit.DAY))
                : units.formatMeasures(new Measure(days, MeasureUnit.DAY), new Measure(rh, MeasureUnit.HOUR));
    }

    /** "in 12 min" or "40 min ago" relative to {@code now}. */
    public String relative(Instant t, Instant now) {
        if (t == null) return "";
        Duration d = Duration.between(now, t);
        if (d.abs().toSeconds() < 30) return t("fmt.now");
        return d.isNegative() ? t("fmt.ago", duration(d.negated())) : t("fmt.in", duration(d));
    }

    /** What a TLP label means (FIRST TLP 2.0), for a badge's title; the badge itself keeps the wire text TLP:AMBER. */
    public String tlpMeaning(io.parley.envelope.Tlp tlp) {
        return t("desk.tlp.meaning", "TLP:" + tlp.wire().toUpperCase(java.util.Locale.ROOT), t("desk.tlp." + tlp.wire().replace('+', '_')));
    }

    /**
     * The reader's word for a wire value of {@code group} ({@code state}, {@code priority}, {@code kind}, {@code line},
     * {@code deadline}, {@code level}, {@code requestType}): the key {@code desk.<group>.<wire>}. A value this node has
     * no word for (one a newer peer sent) is shown as written, with its first letter capitalised, never as a key.
     */
    public String label(String group, String wire) {
        if (wire == null || wire.isEmpty()) return "";
        String key = "desk." + group + "." + wire.replace('+', '_').replace(' ', '_');
        if (strings.containsKey(key) || fallback.containsKey(key)) return t(key);
        String s = wire.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---- loading ----

    private static Map<Lang, Texts> load() {
        Map<Lang, Map<String, String>> strings = new EnumMap<>(Lang.class);
        for (Lang lang : Lang.values()) {
            Map<String, String> merged = new LinkedHashMap<>();
            for (String bundle : BUNDLES) merged.putAll(read(bundle, lang));
            strings.put(lang, Map.copyOf(merged));
        }
        Map<String, String> english = strings.get(Lang.EN);
        Map<Lang, Texts> all = new EnumMap<>(Lang.class);
        for (Lang lang : Lang.values()) all.put(lang, new Texts(lang, strings.get(lang), english));
        return Collections.unmodifiableMap(all);
    }

    /** One bundle file in one language; a file that is not there is empty (the test names it). */
    public static Map<String, String> read(String bundle, Lang lang) {
        String path = "/i18n/" + bundle + "_" + lang.code() + ".properties";
        try (InputStream in = Texts.class.getResourceAsStream(path)) {
            if (in == null) return Map.of();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> m = new LinkedHashMap<>();
            for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }
}
