package io.parley.evidence;

import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the schema library's messages into {@link Violation}s with JSON pointers into the bundle.
 *
 * <p>The official schemas use {@code anyOf}/{@code oneOf} (e.g. the custom-property rule in {@code properties.json}
 * admits six JSON types), and the library reports one message per failed alternative. Those are folded into a single
 * violation per value and alternative set, so a reader sees "none of the alternatives match (…)" once rather than six
 * contradictory "expected X" lines.
 */
final class SchemaMessages {
    private SchemaMessages() {}

    static List<Violation> toViolations(String base, Collection<ValidationMessage> messages) {
        List<Violation> out = new ArrayList<>();
        Map<String, TreeSet<String>> folded = new TreeMap<>();
        for (ValidationMessage m : messages) {
            String at = base + pointer(m.getInstanceLocation());
            if (("required".equals(m.getType()) || "additionalProperties".equals(m.getType())) && m.getProperty() != null) {
                at = Pointers.child(at, m.getProperty()); // point at the missing (or unexpected) property itself
            }
            String text = m.getType() + ": " + m.getError();
            String alternatives = alternativesPrefix(m.getEvaluationPath().toString());
            if (alternatives == null) {
                out.add(new Violation(at, text));
            } else {
                folded.computeIfAbsent(at + "\u0000" + alternatives, k -> new TreeSet<>()).add(text);
            }
        }
        folded.forEach((key, texts) -> {
            String at = key.substring(0, key.indexOf('\u0000'));
            out.add(texts.size() == 1 ? new Violation(at, texts.first())
                    : new Violation(at, "none of the allowed alternatives match (" + String.join("; ", texts) + ")"));
        });
        return out;
    }

    /** The evaluation path up to the innermost {@code anyOf}/{@code oneOf}, or null when there is none. */
    private static String alternativesPrefix(String evaluationPath) {
        int i = Math.max(evaluationPath.lastIndexOf("/anyOf/"), evaluationPath.lastIndexOf("/oneOf/"));
        return i < 0 ? null : evaluationPath.substring(0, i + 6);
    }

    private static String pointer(JsonNodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object e = path.getElement(i);
            sb.append('/').append(e instanceof Integer ? e.toString() : Pointers.escape(String.valueOf(e)));
        }
        return sb.toString();
    }
}
