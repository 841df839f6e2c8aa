package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STIX 2.1 §7.2.3 granular markings: the one place selectors are parsed, resolved against the object they sit on,
 * and compared.
 *
 * <p>A selector (§7.2.3.1) is a dot-separated path from the object: a property name selects that property (or a
 * dictionary key), {@code [n]} selects the n-th item of a list, e.g. {@code external_references.[0].url}. "The
 * selector MUST refer to a property or list item within the object", so an unresolvable selector makes the object
 * invalid, as the OASIS validator holds ({@code marking_selector_syntax}). Parley resolves a little more strictly
 * than that validator: an index selects only a list item (the validator also lets {@code [0]} pick a character of a
 * string), and a granular marking carrying both {@code marking_ref} and {@code lang} is refused (§7.2.3: each "MUST
 * NOT be present" when the other is; the OASIS schema does not say so).
 */
final class GranularMarkings {
    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,9})\\]");

    /** One step of a selector path. */
    sealed interface Step permits Property, Index {}

    /** A property name or dictionary key. */
    record Property(String name) implements Step {}

    /** A list index, {@code [n]}. */
    record Index(int position) implements Step {}

    private GranularMarkings() {}

    /** The steps of {@code selector}; never empty (an empty selector is one step naming the empty property). */
    static List<Step> parse(String selector) {
        List<Step> steps = new ArrayList<>();
        for (String segment : selector.split("\\.", -1)) {
            Matcher m = INDEX.matcher(segment);
            steps.add(m.matches() ? new Index(Integer.parseInt(m.group(1))) : new Property(segment));
        }
        return steps;
    }

    /** Why {@code selector} designates nothing in {@code object}, or empty when it resolves. */
    static Optional<String> unresolved(JsonNode object, String selector) {
        JsonNode at = object;
        String where = "the object";
        for (Step step : parse(selector)) {
            switch (step) {
                case Property p -> {
                    if (!at.isObject()) {
                        return Optional.of(where + " has no properties, so '" + p.name() + "' selects nothing");
                    }
                    if (!at.has(p.name())) {
                        return Optional.of("'" + p.name() + "' is not a property of " + where);
                    }
                    at = at.get(p.name());
                    where = "'" + p.name() + "'";
                }
                case Index i -> {
                    if (!at.isArray()) {
                        return Optional.of(where + " is not a list, so [" + i.position() + "] selects nothing");
                    }
                    if (i.position() >= at.size()) {
                        return Optional.of("[" + i.position() + "] is past the end of " + where + " ("
                                + at.size() + (at.size() == 1 ? " item)" : " items)"));
                    }
                    at = at.get(i.position());
                    where = where + ".[" + i.position() + "]";
                }
            }
        }
        return Optional.empty();
    }

    /**
     * True when selectors {@code a} and {@code b} designate overlapping content: one is the other or one of its
     * ancestors (§7.2.3.1: a marking on a property covers everything below it).
     */
    static boolean overlaps(String a, String b) {
        List<Step> sa = parse(a);
        List<Step> sb = parse(b);
        int common = Math.min(sa.size(), sb.size());
        return sa.subList(0, common).equals(sb.subList(0, common));
    }

    /**
     * Checks every granular marking of {@code object} (at pointer {@code base}): each selector resolves in the
     * object, and {@code marking_ref} and {@code lang} are not both set. Shape errors (a selector that is not a
     * string, a missing {@code selectors}) are the schema's to report.
     */
    static void check(JsonNode object, String base, List<Violation> out) {
        JsonNode markings = object.get("granular_markings");
        if (markings == null || !markings.isArray()) {
            return;
        }
        String id = object.path("id").asText("(no id)");
        for (int i = 0; i < markings.size(); i++) {
            JsonNode marking = markings.get(i);
            String at = base + "/granular_markings/" + i;
            if (marking.has("marking_ref") && marking.has("lang")) {
                out.add(new Violation(at, "granular marking on " + id
                        + " has both marking_ref and lang; it must have exactly one (STIX 2.1 §7.2.3)"));
            }
            JsonNode selectors = marking.path("selectors");
            for (int j = 0; j < selectors.size(); j++) {
                JsonNode s = selectors.get(j);
                if (!s.isTextual()) {
                    continue;
                }
                int index = j;
                unresolved(object, s.textValue()).ifPresent(why -> out.add(new Violation(at + "/selectors/" + index,
                        "granular marking selector '" + s.textValue() + "' on " + id + " selects nothing: " + why
                                + " (STIX 2.1 §7.2.3.1)")));
            }
        }
    }
}
