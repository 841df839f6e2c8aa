package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The STIX 2.1 rules that the official JSON schemas cannot express, applied to one top-level object. Each rule cites
 * the section of the STIX 2.1 specification (OASIS Standard, 10 June 2021) that it enforces.
 */
final class SemanticChecks {
    /** Timestamp properties Parley compares or calendar-checks (all are {@code timestamp} typed in the spec). */
    private static final List<String> TIMESTAMPS = List.of("created", "modified", "valid_from", "valid_until",
            "first_seen", "last_seen", "start_time", "stop_time", "first_observed", "last_observed", "published");

    /** Timestamp properties of particular types (§4.12, §7.3, §6): checked only on those types, as the OASIS validator does. */
    private static final Map<String, List<String>> TYPED_TIMESTAMPS = Map.ofEntries(
            Map.entry("malware-analysis", List.of("submitted", "analysis_started", "analysis_ended")),
            Map.entry("language-content", List.of("object_modified")),
            Map.entry("directory", List.of("ctime", "mtime", "atime")),
            Map.entry("email-message", List.of("date")),
            Map.entry("file", List.of("ctime", "mtime", "atime")),
            Map.entry("network-traffic", List.of("start", "end")),
            Map.entry("process", List.of("created_time")),
            Map.entry("user-account", List.of("account_created", "account_expires", "credential_last_changed",
                    "account_first_login", "account_last_login")),
            Map.entry("windows-registry-key", List.of("modified_time")),
            Map.entry("x509-certificate", List.of("validity_not_before", "validity_not_after")));

    /**
     * SCO types whose id is a UUIDv4 unless one of the listed ID contributing properties is present (§6: without
     * them a UUIDv5 would be the same for every such object); a process always uses UUIDv4 (§6.11).
     */
    private static final Map<String, List<String>> V4_UNLESS = Map.of(
            "artifact", List.of("hashes", "payload_bin"),
            "email-message", List.of("from_ref", "subject", "body"),
            "user-account", List.of("account_type", "user_id", "account_login"),
            "windows-registry-key", List.of("key", "values"),
            "x509-certificate", List.of("hashes", "serial_number"));

    /** True when an SCO of {@code type} with these properties must have a version 4 id (§6; see {@link #V4_UNLESS}). */
    static boolean hasNoDeterministicId(String type, JsonNode object) {
        return type.equals("process") || (V4_UNLESS.containsKey(type) && V4_UNLESS.get(type).stream().noneMatch(object::has));
    }

    /** One ordering rule: {@code later} must be after (or, when {@code strict} is false, equal to) {@code earlier}. */
    private record Order(String earlier, String later, boolean strict, String citation, String onlyType) {
        Order(String earlier, String later, boolean strict, String citation) {
            this(earlier, later, strict, citation, null);
        }
    }

    private static final List<Order> ORDERS = List.of(
            // §3.2 common properties: "modified ... MUST be later than or equal to the value of the created property"
            new Order("created", "modified", false, "STIX 2.1 §3.2"),
            // §4.7 indicator: "valid_until ... MUST be greater than that of the valid_from property"
            new Order("valid_from", "valid_until", true, "STIX 2.1 §4.7"),
            // §4.2 campaign, §4.8 infrastructure, §4.9 intrusion set, §4.11 malware, §4.17 threat actor, §5.2 sighting:
            // "last_seen ... MUST be greater than or equal to the timestamp in the first_seen property"
            new Order("first_seen", "last_seen", false, "STIX 2.1 §4.2, §5.2"),
            // §5.1 relationship: "stop_time MUST be later than the start_time value"
            new Order("start_time", "stop_time", true, "STIX 2.1 §5.1"),
            // §4.14 observed data: "last_observed MUST be greater than or equal to first_observed"
            new Order("first_observed", "last_observed", false, "STIX 2.1 §4.14"),
            // §6.12 network traffic: "end ... MUST be greater than or equal to the timestamp in the start property"
            new Order("start", "end", false, "STIX 2.1 §6.12", "network-traffic"));

    /** References whose target type the spec fixes (§3.2 created_by_ref, §7.2.2-7.2.3 markings). */
    private static final Map<String, String> REF_TARGET_TYPE = Map.of(
            "created_by_ref", "identity",
            "object_marking_refs", "marking-definition",
            "marking_ref", "marking-definition");

    private static final Set<String> ISO_639_1 = Set.of(Locale.getISOLanguages());

    private SemanticChecks() {}

    static void check(JsonNode object, String type, String base, Set<String> resolvable, List<Violation> out) {
        checkId(object, type, base, out);
        checkSpecVersion(object, base, out);
        checkTimestamps(object, type, base, out);
        checkPattern(object, type, base, out);
        checkRefs(object, base, resolvable, out);
        checkSelfMarking(object, type, base, out);
        checkLang(object, base, out);
        GranularMarkings.check(object, base, out);
    }

    /**
     * §3.2: {@code lang} is an RFC 5646 language tag. Parley takes any well-formed tag whose primary language is an
     * ISO 639 code (two letters from ISO 639-1, or three letters); the OASIS validator instead holds a fixed list of
     * about 230 tags, so it also refuses real tags such as {@code pt-AO} that Parley accepts.
     */
    private static void checkLang(JsonNode object, String base, List<Violation> out) {
        JsonNode lang = object.get("lang");
        if (lang == null || !lang.isTextual()) {
            return; // the schemas type it
        }
        if (!isLanguageTag(lang.textValue())) {
            out.add(new Violation(base + "/lang", "lang '" + lang.textValue() + "' is not an RFC 5646 language tag"
                    + " with an ISO 639 language (STIX 2.1 §3.2)"));
        }
    }

    private static boolean isLanguageTag(String tag) {
        Locale locale;
        try {
            locale = new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            return false;
        }
        String language = locale.getLanguage();
        return language.length() == 3 || (language.length() == 2 && ISO_639_1.contains(language));
    }

    /** §7.2.1: a marking definition cannot be marked by itself (the OASIS validator's circular-reference rule). */
    private static void checkSelfMarking(JsonNode object, String type, String base, List<Violation> out) {
        JsonNode id = object.get("id");
        if (!type.equals("marking-definition") || id == null || !id.isTextual()) {
            return;
        }
        JsonNode refs = object.path("object_marking_refs");
        for (int i = 0; i < refs.size(); i++) {
            if (id.equals(refs.get(i))) {
                out.add(new Violation(base + "/object_marking_refs/" + i, "marking definition " + id.textValue()
                        + " marks itself (circular reference)"));
            }
        }
        JsonNode granular = object.path("granular_markings");
        for (int i = 0; i < granular.size(); i++) {
            if (id.equals(granular.get(i).get("marking_ref"))) {
                out.add(new Violation(base + "/granular_markings/" + i + "/marking_ref", "marking definition "
                        + id.textValue() + " marks itself (circular reference)"));
            }
        }
    }

    /** §2.9: an identifier is {@code object-type--UUID}, the type part being exactly the object's {@code type}. */
    private static void checkId(JsonNode object, String type, String base, List<Violation> out) {
        JsonNode idNode = object.get("id");
        if (idNode == null || !idNode.isTextual()) {
            return; // every object schema, the custom cores included, already requires a string id
        }
        String id = idNode.textValue();
        int sep = id.indexOf("--");
        if (sep < 0) {
            out.add(new Violation(base + "/id", "id '" + id + "' is not of the form " + type + "--<uuid> (STIX 2.1 §2.9)"));
            return;
        }
        if (!id.substring(0, sep).equals(type)) {
            out.add(new Violation(base + "/id", "id prefix '" + id.substring(0, sep) + "' does not match type '" + type
                    + "' (STIX 2.1 §2.9)"));
        }
        String uuid = id.substring(sep + 2);
        if (!StixIds.isUuid(uuid)) {
            out.add(new Violation(base + "/id", "the UUID part of '" + id + "' is not an RFC 4122 UUID (STIX 2.1 §2.9)"));
            return;
        }
        if (hasNoDeterministicId(type, object) && uuid.charAt(14) != '4') {
            out.add(new Violation(base + "/id", "id '" + id + "' must hold a version 4 UUID: a " + type
                    + (type.equals("process") ? "" : " without ID contributing properties") + " has no deterministic id"
                    + " (STIX 2.1 §6)"));
        }
    }

    /**
     * §3.2: {@code spec_version} is required on SDOs, SROs and (§7) meta objects and must be {@code 2.1} in a 2.1
     * bundle; on SCOs (§6.1) it is optional but, when present, must be {@code 2.1} too.
     */
    private static void checkSpecVersion(JsonNode object, String base, List<Violation> out) {
        JsonNode sv = object.get("spec_version");
        if (sv == null) {
            return; // required on non-SCOs by every schema (core.json, marking-definition.json, ...), optional on SCOs
        }
        if (!sv.isTextual() || !sv.textValue().equals("2.1")) {
            out.add(new Violation(base + "/spec_version", "spec_version must be \"2.1\", not " + sv));
        }
    }

    private static void checkTimestamps(JsonNode object, String type, String base, List<Violation> out) {
        for (String name : TIMESTAMPS) {
            checkCalendar(object, name, base, out);
        }
        for (String name : TYPED_TIMESTAMPS.getOrDefault(type, List.of())) {
            checkCalendar(object, name, base, out);
        }
        if (type.equals("file")) {
            // §6.7.5: the Windows PE binary extension's time_date_stamp (the validator checks it under any extension)
            for (Map.Entry<String, JsonNode> e : object.path("extensions").properties()) {
                checkCalendar(e.getValue(), "time_date_stamp", base + "/extensions/" + Pointers.escape(e.getKey()), out);
            }
        }
        if (type.equals("x509-certificate")) {
            for (String name : List.of("private_key_usage_period_not_before", "private_key_usage_period_not_after")) {
                checkCalendar(object.path("x509_v3_extensions"), name, base + "/x509_v3_extensions", out);
            }
        }
        for (Order o : ORDERS) {
            if (o.onlyType() != null && !o.onlyType().equals(type)) {
                continue;
            }
            Optional<Instant> earlier = instant(object, o.earlier());
            Optional<Instant> later = instant(object, o.later());
            if (earlier.isEmpty() || later.isEmpty()) {
                continue;
            }
            int c = later.get().compareTo(earlier.get());
            if (c < 0 || (o.strict() && c == 0)) {
                out.add(new Violation(base + "/" + o.later(), o.later() + " must be " + (o.strict() ? "later than" : "no earlier than")
                        + " " + o.earlier() + " (" + o.citation() + ")"));
            }
        }
    }

    private static void checkCalendar(JsonNode holder, String name, String base, List<Violation> out) {
        JsonNode v = holder.get(name);
        if (v != null && v.isTextual() && StixTime.wellFormed(v.textValue()) && StixTime.parse(v.textValue()).isEmpty()
                && !v.textValue().contains(":60")) {
            out.add(new Violation(base + "/" + name, name + " '" + v.textValue() + "' is not a real calendar date"));
        }
    }

    private static Optional<Instant> instant(JsonNode object, String name) {
        JsonNode v = object.get(name);
        return v != null && v.isTextual() ? StixTime.parse(v.textValue()) : Optional.empty();
    }

    /** §9 patterning: a {@code stix} pattern must parse under the official STIX 2.1 pattern grammar ({@link StixPatterns}). */
    private static void checkPattern(JsonNode object, String type, String base, List<Violation> out) {
        if (!type.equals("indicator")) {
            return;
        }
        JsonNode pt = object.get("pattern_type");
        JsonNode p = object.get("pattern");
        if (pt != null && pt.isTextual() && pt.textValue().isBlank()) {
            out.add(new Violation(base + "/pattern_type", "pattern_type must not be empty (STIX 2.1 §4.7)"));
        }
        if (pt != null && pt.isTextual() && pt.textValue().equals("stix") && p != null && p.isTextual()) {
            StixPatterns.Parsed parsed = StixPatterns.parse(p.textValue());
            parsed.problem().or(parsed::badName)
                    .ifPresent(problem -> out.add(new Violation(base + "/pattern", "not a STIX pattern: " + problem)));
        }
    }

    /**
     * §2.9 / §3.1: every property whose name ends in {@code _ref} holds an identifier and every {@code _refs} a list
     * of them, at any depth (e.g. {@code granular_markings[].marking_ref}, SCO {@code extensions}). In Parley each must
     * resolve: to an object in the bundle, a well-known marking definition, or an id the caller already holds.
     */
    private static void checkRefs(JsonNode node, String pointer, Set<String> resolvable, List<Violation> out) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkRefs(node.get(i), Pointers.child(pointer, i), resolvable, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            // Pointers are built only for what is checked or descended into: most properties are plain scalars.
            if (name.endsWith("_ref")) {
                checkRef(name, value, Pointers.child(pointer, name), resolvable, out);
            } else if (name.endsWith("_refs")) {
                String at = Pointers.child(pointer, name);
                if (!value.isArray()) {
                    out.add(new Violation(at, name + " must be a list of STIX identifiers"));
                    continue;
                }
                for (int i = 0; i < value.size(); i++) {
                    checkRef(name, value.get(i), Pointers.child(at, i), resolvable, out);
                }
            } else if (value.isContainerNode() && !value.isEmpty()) {
                checkRefs(value, Pointers.child(pointer, name), resolvable, out);
            }
        }
    }

    private static void checkRef(String name, JsonNode value, String at, Set<String> resolvable, List<Violation> out) {
        if (!value.isTextual() || !StixIds.isIdentifier(value.textValue())) {
            out.add(new Violation(at, name + " must hold a STIX identifier, not " + value));
            return;
        }
        String ref = value.textValue();
        String wanted = REF_TARGET_TYPE.get(name);
        if (wanted != null && !ref.startsWith(wanted + "--")) {
            out.add(new Violation(at, name + " must reference an object of type " + wanted + ", not " + ref));
        }
        if (!resolvable.contains(ref)) {
            out.add(new Violation(at, "reference " + ref
                    + " does not resolve to an object in the bundle, a well-known marking definition or a known id"));
        }
    }
}
