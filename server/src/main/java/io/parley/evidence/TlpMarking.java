package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads TLP (and PAP) markings on STIX objects and redacts bundles to a recipient's TLP ceiling.
 *
 * <h2>Where a marking comes from</h2>
 * STIX 2.1 §7.2.2 object markings ({@code object_marking_refs}) apply to the whole object; §7.2.3 granular markings
 * ({@code granular_markings[]} with {@code selectors}) apply to the selected properties and everything below them.
 * A marking reference counts as TLP when it is one of the {@link WellKnownMarkings} (TLP 2.0, or TLP 1.0 with WHITE
 * read as CLEAR) or, defensively, a marking-definition in the same bundle that carries a TLP definition. When several
 * TLP markings apply, the most restrictive wins (FIRST TLP 2.0: the stricter label governs).
 *
 * <h2>Redaction</h2>
 * {@link #redact} is the step every outbound path goes through. It is fail-closed: an object's <em>effective</em> TLP
 * is the strictest of its object markings and all its granular markings (a RED description inside a GREEN indicator
 * keeps the whole indicator back), and an unmarked object counts as {@code unmarked} (RED unless the caller knows
 * better, e.g. the envelope's own label). Marking and extension definitions that carry no marking of their own are
 * metadata and count as CLEAR. Then every object that can no longer stand is removed too: a relationship or sighting
 * whose endpoint went, anything whose marking definition went, a report/grouping/note/opinion/observed-data whose
 * {@code object_refs} would become empty. Remaining references to removed objects are pruned, so the output never
 * holds a dangling reference.
 */
public final class TlpMarking {
    /** Top-level single references the spec makes required: the object is meaningless without their target. */
    private static final Set<String> HARD_REFS = Set.of("source_ref", "target_ref", "sighting_of_ref", "object_ref");
    /** Types that must keep a non-empty {@code object_refs} (STIX 2.1 §4.4, §4.13, §4.14, §4.15, §4.16). */
    private static final Set<String> NEEDS_OBJECT_REFS = Set.of("report", "grouping", "note", "opinion", "observed-data");

    private TlpMarking() {}

    /** The TLP of the object as a whole, from {@code object_marking_refs} only. */
    public static Optional<Tlp> objectTlp(JsonNode object) {
        return strictest(refs(object.get("object_marking_refs")), Map.of());
    }

    /**
     * The TLP of the content a granular-marking selector designates (e.g. {@code description} or
     * {@code external_references.[0].url}): object markings plus every granular marking whose selector is that
     * property, one of its ancestors, or one of its descendants (§7.2.3.1: a selector covers all descendants).
     */
    public static Optional<Tlp> tlpOf(JsonNode object, String selector) {
        List<String> refs = refs(object.get("object_marking_refs"));
        for (JsonNode g : object.path("granular_markings")) {
            for (JsonNode s : g.path("selectors")) {
                if (GranularMarkings.overlaps(s.asText(), selector)) {
                    refs.add(g.path("marking_ref").asText());
                }
            }
        }
        return strictest(refs, Map.of());
    }

    /** The strictest TLP anywhere on the object (object and granular markings): what governs sharing it whole. */
    public static Optional<Tlp> effectiveTlp(JsonNode object) {
        return effectiveTlp(object, Map.of());
    }

    /** The most restrictive TLP of any object in the bundle; empty when nothing in it is TLP-marked. */
    public static Optional<Tlp> mostRestrictive(JsonNode bundle) {
        Map<String, Tlp> local = localTlpMarkings(bundle);
        Tlp max = null;
        for (JsonNode o : bundle.path("objects")) {
            Tlp t = effectiveTlp(o, local).orElse(null);
            if (t != null && (max == null || t.exceeds(max))) {
                max = t;
            }
        }
        return Optional.ofNullable(max);
    }

    /** The strictest PAP on the object (object and granular markings), from the OASIS PAP marking definitions. */
    public static Optional<Pap> effectivePap(JsonNode object) {
        Pap max = null;
        for (String ref : allMarkingRefs(object)) {
            Pap p = WellKnownMarkings.papOf(ref).orElse(null);
            if (p != null && (max == null || p.exceeds(max))) {
                max = p;
            }
        }
        return Optional.ofNullable(max);
    }

    /**
     * Replaces any TLP marking in the object's {@code object_marking_refs} with the TLP 2.0 marking for {@code tlp},
     * keeping other (e.g. PAP or statement) markings.
     */
    public static ObjectNode mark(ObjectNode object, Tlp tlp) {
        List<String> kept = new ArrayList<>();
        for (String ref : refs(object.get("object_marking_refs"))) {
            if (WellKnownMarkings.tlpOf(ref).isEmpty()) {
                kept.add(ref);
            }
        }
        ArrayNode arr = object.putArray("object_marking_refs");
        arr.add(WellKnownMarkings.tlp2Id(tlp));
        kept.forEach(arr::add);
        return object;
    }

    /** {@link #redact(JsonNode, Tlp, Tlp)} with unmarked objects counted as RED: the safe default. */
    public static ObjectNode redact(JsonNode bundle, Tlp ceiling) {
        return redact(bundle, ceiling, Tlp.RED);
    }

    /**
     * A copy of {@code bundle} holding only what a recipient cleared up to {@code ceiling} may see.
     *
     * @param unmarked the TLP assumed for objects that carry no TLP marking (e.g. the label of the envelope the
     *     bundle arrived in)
     * @throws IllegalArgumentException when {@code bundle} has no {@code objects} array
     */
    public static ObjectNode redact(JsonNode bundle, Tlp ceiling, Tlp unmarked) {
        requireBundle(bundle);
        Map<String, Tlp> local = localTlpMarkings(bundle);
        return redact(bundle, o -> !governingTlp(o, local, unmarked).exceeds(ceiling));
    }

    /**
     * A copy of {@code bundle} holding the objects {@code visible} admits, and then only those that can still stand
     * (the cascade described above), with remaining references to removed objects pruned. {@link MarkingPolicy}
     * judges visibility per reader; this is the one place objects are removed from a bundle.
     *
     * @throws IllegalArgumentException when {@code bundle} has no {@code objects} array
     */
    static ObjectNode redact(JsonNode bundle, Predicate<JsonNode> visible) {
        requireBundle(bundle);
        List<JsonNode> kept = new ArrayList<>();
        Set<String> removed = new HashSet<>();
        for (JsonNode o : bundle.get("objects")) {
            if (visible.test(o)) {
                kept.add(o);
            } else {
                removed.add(o.path("id").asText());
            }
        }
        // Cascade: removing one object can orphan another (a sighting of a removed indicator, an opinion about a
        // note whose only object went); iterate to a fixpoint. Each pass removes at least one object or stops.
        boolean changed = !removed.isEmpty();
        while (changed) {
            changed = false;
            for (Iterator<JsonNode> it = kept.iterator(); it.hasNext(); ) {
                JsonNode o = it.next();
                if (cannotStand(o, removed)) {
                    removed.add(o.path("id").asText());
                    it.remove();
                    changed = true;
                }
            }
        }
        ObjectNode out = bundle.deepCopy();
        ArrayNode objects = out.putArray("objects");
        for (JsonNode o : kept) {
            JsonNode copy = o.deepCopy();
            if (!removed.isEmpty()) {
                prune(copy, removed);
            }
            objects.add(copy);
        }
        return out;
    }

    private static void requireBundle(JsonNode bundle) {
        if (bundle == null || !bundle.isObject() || !bundle.path("objects").isArray()) {
            throw new IllegalArgumentException("not a STIX bundle: no objects array");
        }
    }

    /**
     * The TLP that governs {@code object}: its effective TLP, else CLEAR for marking and extension definitions, else
     * {@code unmarked}.
     */
    static Tlp governingTlp(JsonNode object, Map<String, Tlp> local, Tlp unmarked) {
        return effectiveTlp(object, local).orElse(isDefinition(object) ? Tlp.CLEAR : unmarked);
    }

    /** True if, with {@code removed} gone, {@code o} would lose a marking, an endpoint or all its object_refs. */
    private static boolean cannotStand(JsonNode o, Set<String> removed) {
        for (String ref : allMarkingRefs(o)) {
            if (removed.contains(ref)) {
                return true; // a marking we can no longer ship: never strip a marking, drop the object
            }
        }
        for (String name : HARD_REFS) {
            if (removed.contains(o.path(name).asText(null))) {
                return true;
            }
        }
        if (NEEDS_OBJECT_REFS.contains(o.path("type").asText()) && o.path("object_refs").isArray()) {
            boolean any = false;
            for (JsonNode r : o.get("object_refs")) {
                any |= !removed.contains(r.asText());
            }
            return !any;
        }
        return false;
    }

    /** Removes references to {@code removed} at any depth: single refs are dropped, lists filtered (and dropped when empty). */
    private static void prune(JsonNode node, Set<String> removed) {
        if (node.isArray()) {
            node.forEach(c -> prune(c, removed));
            return;
        }
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        List<String> drop = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.endsWith("_ref") && v.isTextual() && removed.contains(v.textValue())) {
                drop.add(name);
            } else if (name.endsWith("_refs") && v.isArray()) {
                ArrayNode arr = (ArrayNode) v;
                for (int i = arr.size() - 1; i >= 0; i--) {
                    if (removed.contains(arr.get(i).asText())) {
                        arr.remove(i);
                    }
                }
                if (arr.isEmpty()) {
                    drop.add(name);
                }
            } else if (v.isContainerNode()) {
                prune(v, removed);
            }
        }
        drop.forEach(obj::remove);
    }

    static Optional<Tlp> effectiveTlp(JsonNode object, Map<String, Tlp> local) {
        return strictest(allMarkingRefs(object), local);
    }

    /** Marking definitions and extension definitions: metadata others depend on, CLEAR unless marked. */
    private static boolean isDefinition(JsonNode o) {
        String t = o.path("type").asText();
        return t.equals("marking-definition") || t.equals("extension-definition");
    }

    private static List<String> allMarkingRefs(JsonNode object) {
        List<String> refs = refs(object.get("object_marking_refs"));
        for (JsonNode g : object.path("granular_markings")) {
            JsonNode r = g.get("marking_ref");
            if (r != null && r.isTextual()) {
                refs.add(r.textValue());
            }
        }
        return refs;
    }

    private static List<String> refs(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode r : array) {
                if (r.isTextual()) {
                    out.add(r.textValue());
                }
            }
        }
        return out;
    }

    private static Optional<Tlp> strictest(List<String> refs, Map<String, Tlp> local) {
        Tlp max = null;
        for (String ref : refs) {
            Tlp t = WellKnownMarkings.tlpOf(ref).orElseGet(() -> local.get(ref));
            if (t != null && (max == null || t.exceeds(max))) {
                max = t;
            }
        }
        return Optional.ofNullable(max);
    }

    /**
     * TLP semantics of marking definitions shipped in the bundle under ids that are not the well-known ones: TLP 1.0
     * form ({@code definition_type: tlp}, §7.2.1.4) or the TLP 2.0 extension. The specs forbid such copies, but a
     * sender that makes one still means it, so Parley honours it rather than treat the object as unmarked.
     */
    static Map<String, Tlp> localTlpMarkings(JsonNode bundle) {
        Map<String, Tlp> out = new HashMap<>();
        for (JsonNode o : bundle.path("objects")) {
            if (!o.path("type").asText().equals("marking-definition") || !o.path("id").isTextual()) {
                continue;
            }
            String level = null;
            if (o.path("definition_type").asText().equals("tlp")) {
                level = o.path("definition").path("tlp").asText(null);
            }
            JsonNode ext = o.path("extensions").path(WellKnownMarkings.TLP2_EXTENSION).path("tlp_2_0");
            if (ext.isTextual()) {
                level = ext.textValue();
            }
            if (level != null) {
                String l = level.equalsIgnoreCase("white") ? "clear" : level.toLowerCase(java.util.Locale.ROOT);
                Tlp.fromWire(l).ifPresent(t -> out.put(o.get("id").textValue(), t));
            }
        }
        return out;
    }
}
