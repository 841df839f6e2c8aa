package io.parley.web.i18n;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The six languages of the desk, the UN's official ones. English and Russian are the two sides of the line this product
 * exists for; Arabic is written right to left. Arabic keeps Latin digits ({@code nu-latn}): times and case numbers are
 * read out over the phone between desks in different scripts, and one set of digits avoids a misread deadline.
 */
public enum Lang {
    EN("en", "English", false, Locale.forLanguageTag("en-GB")),
    RU("ru", "Русский", false, Locale.forLanguageTag("ru-RU")),
    FR("fr", "Français", false, Locale.forLanguageTag("fr-FR")),
    ES("es", "Español", false, Locale.forLanguageTag("es-ES")),
    ZH("zh", "中文", false, Locale.forLanguageTag("zh-CN")),
    AR("ar", "العربية", true, Locale.forLanguageTag("ar-u-nu-latn"));

    public static final Lang DEFAULT = EN;

    private final String code;
    private final String nativeName;
    private final boolean rtl;
    private final Locale locale;

    Lang(String code, String nativeName, boolean rtl, Locale locale) {
        this.code = code;
        this.nativeName = nativeName;
        this.rtl = rtl;
        this.locale = locale;
    }

    /** The BCP 47 primary tag: the value of {@code ?lang=}, the cookie, the profile and {@code <html lang>}. */
    public String code() {
        return code;
    }

    /** The language's name in itself, as the language switch shows it. */
    public String nativeName() {
        return nativeName;
    }

    /** {@code rtl} or {@code ltr}, for {@code <html dir>}. */
    public String dir() {
        return rtl ? "rtl" : "ltr";
    }

    public boolean rtl() {
        return rtl;
    }

    /** The locale dates, numbers and plurals follow. */
    public Locale locale() {
        return locale;
    }

    /** The language of a tag such as {@code ru}, {@code ru-RU} or {@code zh-Hans-CN}, if it is one of the six. */
    public static Optional<Lang> of(String tag) {
        if (tag == null) return Optional.empty();
        String primary = tag.strip().toLowerCase(Locale.ROOT);
        int dash = primary.indexOf('-');
        if (dash > 0) primary = primary.substring(0, dash);
        for (Lang l : values()) {
            if (l.code.equals(primary)) return Optional.of(l);
        }
        return Optional.empty();
    }

    /**
     * The best of the six for an {@code Accept-Language} header (RFC 9110 §12.5.4), or empty: the browser's ranges in
     * order of their weights, the first that names one of ours.
     */
    public static Optional<Lang> fromAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > 1000) return Optional.empty();
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(header);
            for (Locale.LanguageRange r : ranges) {
                if (r.getWeight() <= 0) continue;
                Optional<Lang> l = of(r.getRange());
                if (l.isPresent()) return l;
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a malformed header is no preference
        }
        return Optional.empty();
    }

    public static List<Lang> all() {
        return Arrays.asList(values());
    }
}
