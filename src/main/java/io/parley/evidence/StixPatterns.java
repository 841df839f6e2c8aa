package io.parley.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the STIX patterning language (STIX 2.1 §9) for Parley: a structural sanity check, and extraction of
 * the simple comparison expressions ({@code object-type:path = 'literal'} and {@code IN (...)}) that carry the
 * indicator values worth correlating. Deliberately not a full grammar: qualifiers ({@code WITHIN}, {@code REPEATS},
 * {@code START/STOP}), {@code FOLLOWEDBY}, {@code LIKE}/{@code MATCHES} and negations are skipped, because a value
 * under them is not an exact observable.
 */
final class StixPatterns {
    /** One {@code object-type:object-path operator value} comparison (§9.3). */
    record Comparison(String objectType, String path, String operator, List<String> values) {}

    // The text is scanned with every string literal masked out, so nothing inside a literal can look like syntax.
    private static final Pattern COMPARISON = Pattern.compile(
            "([a-z][a-z0-9-]*):((?:[A-Za-z0-9_]+|'L*'|\\[(?:\\*|[0-9]+)\\]|\\.)+)\\s*"
                    + "(NOT\\s+)?(=|!=|<=|>=|<|>|IN|LIKE|MATCHES|ISSUBSET|ISSUPERSET)\\s*"
                    + "('L*'|\\((?:\\s*'L*'\\s*,?|\\s*-?[0-9.]+\\s*,?)*\\)|-?[0-9]+(?:\\.[0-9]+)?|true|false)");
    private static final Pattern MASKED_LITERAL = Pattern.compile("'L*'");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?");

    private StixPatterns() {}

    /**
     * A reason {@code pattern} cannot be a STIX pattern, or empty: it must start with an observation expression
     * ({@code [} or {@code (}), close every string literal, and balance brackets and parentheses without nesting a
     * bracket in a bracket; each observation expression must contain at least one {@code type:path} comparison.
     */
    static Optional<String> structuralProblem(String pattern) {
        String t = pattern.strip();
        if (t.isEmpty()) {
            return Optional.of("the pattern is empty");
        }
        if (t.charAt(0) != '[' && t.charAt(0) != '(') {
            return Optional.of("a pattern starts with an observation expression '[' (STIX 2.1 §9.2)");
        }
        int brackets = 0;
        int parens = 0;
        boolean sawComparison = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\'') {
                int end = closingQuote(t, i);
                if (end < 0) {
                    return Optional.of("unterminated string literal");
                }
                i = end;
            } else if (c == '[') {
                if (brackets > 0 && !isPathIndex(t, i)) {
                    return Optional.of("nested '[' at offset " + i);
                }
                if (brackets == 0) {
                    brackets = 1;
                } else {
                    i = t.indexOf(']', i); // a list index such as [*] or [0] inside an object path
                }
            } else if (c == ']') {
                if (brackets == 0) {
                    return Optional.of("unbalanced ']' at offset " + i);
                }
                brackets = 0;
            } else if (c == '(' && brackets == 0) {
                parens++;
            } else if (c == ')' && brackets == 0) {
                if (--parens < 0) {
                    return Optional.of("unbalanced ')' at offset " + i);
                }
            } else if (c == ':' && brackets > 0) {
                sawComparison = true;
            }
        }
        if (brackets != 0) {
            return Optional.of("unterminated observation expression '['");
        }
        if (parens != 0) {
            return Optional.of("unbalanced parentheses");
        }
        return sawComparison ? Optional.empty() : Optional.of("no object-type:path comparison");
    }

    /** True when the {@code [} at {@code i} opens a list index ({@code [*]} or {@code [0]}) in an object path. */
    private static boolean isPathIndex(String t, int i) {
        int close = t.indexOf(']', i);
        if (close <= i + 1) {
            return false;
        }
        String inside = t.substring(i + 1, close);
        return inside.equals("*") || inside.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** Index of the quote that closes the literal opened at {@code open}, honouring backslash escapes; or -1. */
    private static int closingQuote(String s, int open) {
        for (int j = open + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '\'') {
                return j;
            }
        }
        return -1;
    }

    /** Every comparison in {@code pattern}, in order of appearance. */
    static List<Comparison> comparisons(String pattern) {
        String masked = mask(pattern);
        List<Comparison> out = new ArrayList<>();
        Matcher m = COMPARISON.matcher(masked);
        while (m.find()) {
            String path = pattern.substring(m.start(2), m.end(2)).replace("'", "");
            String op = (m.group(3) != null ? "NOT " : "") + m.group(4);
            out.add(new Comparison(m.group(1), path, op, literals(pattern, m.start(5), m.end(5), masked)));
        }
        return out;
    }

    /** The literal values in {@code [from, to)}: one string or number, or each element of an {@code IN} list. */
    private static List<String> literals(String original, int from, int to, String masked) {
        List<String> values = new ArrayList<>();
        Matcher lit = MASKED_LITERAL.matcher(masked).region(from, to);
        while (lit.find()) {
            values.add(unescape(original.substring(lit.start() + 1, lit.end() - 1)));
        }
        if (values.isEmpty()) {
            Matcher num = NUMBER.matcher(masked).region(from, to);
            while (num.find()) {
                values.add(num.group());
            }
        }
        return values;
    }

    /** §9.4: inside a string literal only {@code \'} and {@code \\} are escapes. */
    static String unescape(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                sb.append(body.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A string literal for {@code value}: quotes and backslashes escaped (§9.4). */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** {@code text} with the inside of every string literal replaced by {@code L}, positions kept. */
    private static String mask(String text) {
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\'') {
                int end = closingQuote(text, i);
                if (end < 0) {
                    end = text.length();
                }
                for (int j = i + 1; j < end; j++) {
                    sb.setCharAt(j, 'L');
                }
                i = end;
            }
        }
        return sb.toString();
    }
}
