package io.parley.web.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No template writes user-facing words itself: every heading, label, hint, button, table header and every title, alt,
 * aria-label, placeholder and submit-input value comes from a bundle, so that it exists in all six languages. The scan strips
 * jte's own syntax ({@code ${...}}, {@code $unsafe{...}}, {@code !{...}}, {@code @if(...)}, {@code @template...(...)},
 * {@code @import}/{@code @param} lines), then looks at the HTML's text and those attributes for any letter of any script.
 * What may stay is in {@link #WIRE_WORDS}, each with its reason.
 */
class TemplateStringsTest {
    static final Path TEMPLATES = Path.of("src/main/jte");

    /** Templates not checked: none; every template takes its words from the bundles. */
    static final Set<String> SKIPPED = Set.of();

    /** Words written the same in every language, and why. */
    static final Map<String, String> WIRE_WORDS = Map.of(
            "Parley", "the product's name, a brand",
            "TLP", "FIRST's Traffic Light Protocol is named TLP in every language, as its labels (TLP:AMBER) are",
            "STIX", "the name of the OASIS format of a download, the same in every language",
            "MISP", "the name of the format of a download, the same in every language",
            "IODEF", "the name of the RFC 7970 format of a download, the same in every language",
            "SHA", "SHA-256, the name of the hash a title shows, the same in every language",
            "DISARM", "the name of the influence-operations framework whose technique ids a case cites",
            "T0019", "a DISARM technique id, given as the example of one",
            "parley verify", "the command an officer types, shown as it is typed");

    private static final Pattern TAG = Pattern.compile("</?([a-zA-Z!][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*(\"[^\"]*\"|'[^']*')");
    private static final Set<String> WORDED_ATTRIBUTES = Set.of("title", "alt", "aria-label", "placeholder");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");

    @Test
    void noTemplateWritesWordsOfItsOwn() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jte")).sorted().toList()) {
                String name = TEMPLATES.relativize(f).toString().replace('\\', '/');
                if (SKIPPED.contains(name)) continue;
                scanned++;
                for (String word : userFacing(Files.readString(f))) found.add(name + ": " + word);
            }
        }
        assertTrue(scanned >= 12, "the frame's templates were scanned: " + scanned);
        assertEquals(List.of(), found, "user-facing text written in templates instead of a bundle");
    }

    /** The test's own check, on a sample that has each kind of fault and each kind of allowed text. */
    @Test
    void theScanFindsWordsInTextAndAttributesButNotInJteSyntax() {
        String sample = """
                @import io.parley.web.WebModel.Dashboard
                @param Dashboard d
                !{var t = d.layout().texts();}
                @template.layout(page = d.layout(), content = @`
                <h1>${t.t("dashboard.heading", "}")}</h1>
                <p title="${t.t("x")}">Overdue</p>
                @if(d.overdue() > 0)<span>${d.overdue()}</span> &middot; Parley TLP@endif
                <input placeholder="channel ids"><button type="submit" aria-label="Close">×</button>
                <img alt="QR code">@template.tag.party(p = d.self(), t = t, name = true)
                <input type="submit" value="Send"><input type="hidden" name="csrf" value="${d.layout().csrf()}">
                `)
                """;
        assertEquals(List.of("Overdue", "attribute placeholder=\"channel ids\"", "attribute aria-label=\"Close\"", "attribute alt=\"QR code\"",
                "attribute value=\"Send\""), userFacing(sample));
    }

    /** The words a reader would see in {@code template}, as written there. */
    static List<String> userFacing(String template) {
        String html = stripJte(template);
        List<String> out = new ArrayList<>();
        Matcher tag = TAG.matcher(html);
        int last = 0;
        while (tag.find()) {
            text(html.substring(last, tag.start()), out);
            String element = tag.group(1).toLowerCase(java.util.Locale.ROOT), attributes = tag.group(2);
            Matcher a = ATTRIBUTE.matcher(attributes);
            boolean submit = element.equals("input") && attributes.matches("(?s).*type\\s*=\\s*\"(submit|button|reset)\".*");
            while (a.find()) {
                String attr = a.group(1).toLowerCase(java.util.Locale.ROOT), value = a.group(2).substring(1, a.group(2).length() - 1);
                boolean worded = WORDED_ATTRIBUTES.contains(attr) || attr.equals("value") && submit; // a <button>'s value is sent, not shown
                if (worded && words(value)) out.add("attribute " + attr + "=\"" + value + "\"");
            }
            last = tag.end();
        }
        text(html.substring(last), out);
        return out;
    }

    private static void text(String between, List<String> out) {
        String s = between.replaceAll("&[a-zA-Z]+;|&#[0-9]+;|&#x[0-9a-fA-F]+;", " ").strip();
        if (words(s)) out.add(s.replaceAll("\\s+", " "));
    }

    private static boolean words(String s) {
        String rest = s.replaceAll("&[a-zA-Z]+;|&#[0-9]+;|&#x[0-9a-fA-F]+;", " ");
        for (String w : WIRE_WORDS.keySet()) rest = rest.replaceAll("\\b" + Pattern.quote(w) + "\\b", " ");
        return LETTER.matcher(rest).find();
    }

    /**
     * The template with jte's syntax removed: directive lines, expressions and calls (balanced, string literals
     * skipped), the delimiters of content blocks, and HTML comments.
     */
    static String stripJte(String template) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            String l = line.strip();
            if (l.startsWith("@import ") || l.startsWith("@param ")) continue;
            out.append(line).append('\n');
        }
        String s = out.toString().replaceAll("(?s)<!--.*?-->", " ").replaceAll("(?s)<%--.*?--%>", " ");
        StringBuilder r = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("${", i) || s.startsWith("!{", i)) {
                i = skipBalanced(s, i + 1, '{', '}');
            } else if (s.startsWith("$unsafe{", i)) {
                i = skipBalanced(s, i + 7, '{', '}');
            } else if (s.startsWith("@`", i)) {
                i += 2; // a content block opens: its body is template text, scanned like the rest
            } else if (s.charAt(i) == '`' && i + 1 < s.length() && s.charAt(i + 1) == ')') {
                i += 2; // and closes
            } else if (s.charAt(i) == '@' && i + 1 < s.length() && Character.isLetter(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.')) j++;
                String directive = s.substring(i + 1, j);
                if (j < s.length() && s.charAt(j) == '(') {
                    // a call whose last argument is a content block: skip its head up to the block, keep the block
                    int block = directive.startsWith("template.") ? contentBlock(s, j) : -1;
                    i = block >= 0 ? block : skipBalanced(s, j, '(', ')');
                } else {
                    i = j; // @else, @endif, @endfor
                }
                r.append(' ');
            } else {
                r.append(s.charAt(i++));
            }
        }
        return r.toString();
    }

    /** The index of the {@code @`} opening a content block among the call's arguments at {@code open}, or -1. */
    private static int contentBlock(String s, int open) {
        int end = skipBalancedUntil(s, open, "@`");
        return end;
    }

    /** From an opening bracket at {@code at}, the index after its match; quotes in between are string literals. */
    private static int skipBalanced(String s, int at, char open, char close) {
        int depth = 0;
        for (int i = at; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
            } else if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException("unbalanced " + open + " at " + at);
    }

    /** Like {@link #skipBalanced} for parentheses, but stops at {@code marker} outside strings: its index, or -1. */
    private static int skipBalancedUntil(String s, int at, String marker) {
        int depth = 0;
        for (int i = at; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
            } else if (s.startsWith(marker, i)) {
                return i;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return -1;
            }
        }
        return -1;
    }

    private static int endOfString(String s, int quote) {
        for (int i = quote + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') i++;
            else if (s.charAt(i) == '"') return i;
        }
        throw new UncheckedIOException(new IOException("unterminated string at " + quote));
    }
}
