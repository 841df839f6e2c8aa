package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a STIX 2.1 bundle before Parley accepts, stores or forwards it.
 *
 * <p>Two layers: each object is checked against the official OASIS JSON schema for its {@code type} (see
 * {@link StixSchemas}), then against the rules the schemas cannot express ({@link SemanticChecks}): id prefix equals
 * type, well-formed UUIDs, every {@code *_ref}/{@code *_refs} resolves, timestamps are ordered, {@code spec_version}
 * is {@code 2.1}, every granular-marking selector resolves in its object ({@link GranularMarkings}). Parley agrees with
 * the OASIS validator on every bundle of the parity corpus ({@code StixParityTest}) except where it is deliberately
 * stricter; the corpus's PROVENANCE.md lists those places and why. The bundle envelope itself ({@code type}, {@code id}, {@code objects}) is checked here.
 *
 * <p>Hostile input is reported, never thrown: more than {@link #MAX_OBJECTS} objects or nesting deeper than
 * {@link #MAX_DEPTH} is a violation and stops the (otherwise unbounded) work early.
 *
 * <p>Build one instance and share it: schema compilation happens once in the constructor, and {@link #validate} is
 * thread-safe.
 */
public final class StixValidator {
    /** Bundles above this many objects are refused unread: split them. */
    public static final int MAX_OBJECTS = 10_000;
    /** Deepest JSON nesting accepted, counted from the bundle (the bundle's objects sit at depth 2). */
    public static final int MAX_DEPTH = 64;

    private static final class Shared {
        static final StixValidator INSTANCE = new StixValidator();
    }

    private final StixSchemas schemas = new StixSchemas();

    /** Compiles the bundled schemas; prefer {@link #shared()} unless you need an isolated instance. */
    public StixValidator() {}

    /** The process-wide instance, compiled on first use. */
    public static StixValidator shared() {
        return Shared.INSTANCE;
    }

    /** Validates {@code bundle}; references must resolve within the bundle or to well-known marking definitions. */
    public ValidationReport validate(JsonNode bundle) {
        return validate(bundle, Set.of());
    }

    /**
     * Validates {@code bundle}, additionally accepting references to {@code knownIds} (objects the caller already
     * holds, e.g. the identity of a partner CERT sent in an earlier bundle).
     */
    public ValidationReport validate(JsonNode bundle, Set<String> knownIds) {
        List<Violation> out = new ArrayList<>();
        checkBundle(bundle, knownIds, out);
        return ValidationReport.of(out);
    }

    private void checkBundle(JsonNode bundle, Set<String> knownIds, List<Violation> out) {
        if (bundle == null || !bundle.isObject()) {
            out.add(new Violation("", "a STIX bundle must be a JSON object"));
            return;
        }
        // STIX 2.1 §8: type is the literal "bundle", id is bundle--<UUID>.
        JsonNode type = bundle.get("type");
        if (type == null || !"bundle".equals(type.asText(null)) || !type.isTextual()) {
            out.add(new Violation("/type", "type must be \"bundle\" (STIX 2.1 §8), not " + type));
        }
        JsonNode id = bundle.get("id");
        if (id == null || !id.isTextual() || !id.textValue().startsWith("bundle--")
                || !StixIds.isUuid(id.textValue().substring("bundle--".length()))) {
            out.add(new Violation("/id", "id must be bundle--<RFC 4122 UUID> (STIX 2.1 §8), not " + id));
        }
        // The spec makes objects optional; Parley exchanges evidence, so an empty envelope is refused.
        JsonNode objects = bundle.get("objects");
        if (objects == null || !objects.isArray()) {
            out.add(new Violation("/objects", "a bundle must carry an objects array"));
            return;
        }
        if (objects.isEmpty()) {
            out.add(new Violation("/objects", "objects must contain at least one object"));
            return;
        }
        if (objects.size() > MAX_OBJECTS) {
            out.add(new Violation("/objects", "too many objects: " + objects.size() + " > " + MAX_OBJECTS));
            return;
        }
        String tooDeep = firstTooDeep(bundle);
        if (tooDeep != null) {
            out.add(new Violation(tooDeep, "nesting deeper than " + MAX_DEPTH + " levels"));
            return;
        }
        Set<String> resolvable = new HashSet<>(knownIds);
        resolvable.addAll(WellKnownMarkings.ids());
        for (JsonNode o : objects) {
            JsonNode oid = o.get("id");
            if (oid != null && oid.isTextual()) {
                resolvable.add(oid.textValue());
            }
        }
        for (int i = 0; i < objects.size(); i++) {
            checkObject(objects.get(i), "/objects/" + i, resolvable, out);
        }
    }

    private void checkObject(JsonNode object, String base, Set<String> resolvable, List<Violation> out) {
        if (!object.isObject()) {
            out.add(new Violation(base, "a STIX object must be a JSON object"));
            return;
        }
        JsonNode typeNode = object.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            out.add(new Violation(base + "/type", "type is required and must be a string (STIX 2.1 §3.2)"));
            return; // without a type there is no schema to choose
        }
        String type = typeNode.textValue();
        out.addAll(SchemaMessages.toViolations(base, schemas.validate(type, object)));
        SemanticChecks.check(object, type, base, resolvable, out);
    }

    /**
     * The pointer of the first node nested deeper than {@link #MAX_DEPTH}, or null. Recursion stops at the limit, so
     * the stack stays shallow however deep the input; segments are kept as a path and joined only on overflow.
     */
    private static String firstTooDeep(JsonNode root) {
        ArrayDeque<Object> path = new ArrayDeque<>();
        return tooDeep(root, 0, path) ? pointerOf(path) : null;
    }

    private static boolean tooDeep(JsonNode node, int depth, Deque<Object> path) {
        if (depth > MAX_DEPTH) {
            return true;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode c = node.get(i);
                if (c.isContainerNode() && (!c.isEmpty() || depth + 1 > MAX_DEPTH)) {
                    path.addLast(i);
                    if (tooDeep(c, depth + 1, path)) {
                        return true;
                    }
                    path.removeLast();
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode c = e.getValue();
                if (c.isContainerNode() && (!c.isEmpty() || depth + 1 > MAX_DEPTH)) {
                    path.addLast(e.getKey());
                    if (tooDeep(c, depth + 1, path)) {
                        return true;
                    }
                    path.removeLast();
                }
            }
        }
        return false;
    }

    private static String pointerOf(Deque<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object segment : path) {
            sb.append('/').append(segment instanceof Integer ? segment.toString() : Pointers.escape((String) segment));
        }
        return sb.toString();
    }
}
