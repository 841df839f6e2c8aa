package io.parley.evidence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The outcome of {@link StixValidator#validate}: every violation found, in a deterministic order (by JSON pointer,
 * array indexes compared as numbers, then by message) so that two runs over the same bundle give byte-identical
 * reports and tests can compare them.
 */
public record ValidationReport(List<Violation> violations) {
    public ValidationReport {
        violations = List.copyOf(violations);
    }

    /** True when the bundle passed every check. */
    public boolean valid() {
        return violations.isEmpty();
    }

    /** True when some violation points exactly at {@code jsonPath}. */
    public boolean hasViolationAt(String jsonPath) {
        return violations.stream().anyMatch(v -> v.jsonPath().equals(jsonPath));
    }

    static ValidationReport of(List<Violation> found) {
        List<Violation> sorted = new ArrayList<>(new LinkedHashSet<>(found)); // drop exact duplicates
        sorted.sort(ORDER);
        return new ValidationReport(sorted);
    }

    static final Comparator<Violation> ORDER =
            Comparator.comparing(Violation::jsonPath, ValidationReport::comparePointers).thenComparing(Violation::message);

    /** Compares JSON pointers segment by segment, numeric segments numerically ({@code /objects/2 < /objects/10}). */
    static int comparePointers(String a, String b) {
        String[] sa = a.split("/", -1);
        String[] sb = b.split("/", -1);
        for (int i = 0; i < Math.min(sa.length, sb.length); i++) {
            int c = compareSegments(sa[i], sb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(sa.length, sb.length);
    }

    private static int compareSegments(String a, String b) {
        boolean na = isIndex(a);
        boolean nb = isIndex(b);
        if (na && nb) {
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return s.equals("0") || s.charAt(0) != '0';
    }
}
