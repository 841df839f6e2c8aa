package io.parley.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one MISP attribute value becomes in STIX 2.1, by its type's {@link MispType.Shape}: cyber-observables with the
 * pattern that matches them, a detection rule in its own pattern language, or a named SDO. Empty when the type has no
 * STIX object or the value is not valid for it; the importer then carries the value in a {@code note}.
 */
sealed interface MispStix {
    /** Largest attachment content carried as an artifact, in base64 characters; larger content is dropped. */
    int MAX_DATA = 512 * 1024;

    /** SCOs, the first being the one the attribute names, and the pattern that matches it. */
    record Observed(List<ObjectNode> scos, String pattern) implements MispStix {}

    /** A detection rule: an indicator whose pattern is in {@code patternType}. */
    record Rule(String patternType, String pattern) implements MispStix {}

    /** An SDO of {@code type} with these properties (besides the common ones). */
    record Named(String type, ObjectNode properties) implements MispStix {}

    Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    Pattern CVE = Pattern.compile("CVE-\\d{4}-(0\\d{3}|[1-9]\\d{3,})");
    Pattern HIVE_ABBREVIATION = Pattern.compile("HKLM|HKCC|HKCR|HKCU|HKU", Pattern.CASE_INSENSITIVE);
    Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    /** The STIX form of {@code value} (and {@code data}, an attachment's base64 content, or null). */
    static Optional<MispStix> of(MispType t, String value, String data) {
        String v = value.strip();
        return switch (t.shape()) {
            case ADDRESS -> Observable.ip(v).map(MispStix::observed);
            case DOMAIN -> Observable.of(ObservableType.DOMAIN, v).map(MispStix::observed);
            case URL -> Observable.of(ObservableType.URL, v).map(MispStix::observed);
            case EMAIL -> Observable.of(ObservableType.EMAIL, v).map(MispStix::observed);
            case ASN -> Observable.of(ObservableType.ASN, v).map(MispStix::observed);
            case HASH -> MispType.hash(t.key(), v).map(h -> file(null, t.key(), h, null));
            case FILENAME -> nonEmpty(v).map(n -> file(n, null, null, null));
            case FILENAME_HASH -> split(v, true).flatMap(p -> nonEmpty(p[0]).flatMap(
                    n -> MispType.hash(t.key(), p[1].strip()).map(h -> file(n, t.key(), h, null))));
            case ATTACHMENT -> nonEmpty(v).map(n -> file(n, null, null, data));
            case MALWARE_SAMPLE -> split(v, true).flatMap(p -> nonEmpty(p[0]).flatMap(
                    n -> MispType.hash("MD5", p[1].strip()).map(h -> file(n, "MD5", h, data))));
            case ADDRESS_PORT -> split(v, true).flatMap(p -> port(p[1]).flatMap(
                    port -> Observable.ip(p[0]).map(ip -> traffic(t.key(), observed(ip), port, ip.type().wire()))));
            case HOST_PORT -> split(v, true).flatMap(p -> port(p[1]).flatMap(
                    port -> Observable.of(ObservableType.DOMAIN, p[0]).map(d -> traffic("dst", observed(d), port, "tcp"))));
            case DOMAIN_IP -> split(v, false).flatMap(p -> Observable.of(ObservableType.DOMAIN, p[0]).flatMap(
                    d -> Observable.ip(p[1]).map(ip -> resolves(d, ip))));
            case REGKEY -> nonEmpty(v).flatMap(MispStix::hive).map(k -> registry(k, null));
            case REGKEY_VALUE -> split(v, false).flatMap(p -> nonEmpty(p[0]).flatMap(MispStix::hive).map(k -> registry(k, p[1])));
            case MUTEX -> nonEmpty(v).map(n -> single("mutex", "name", n));
            case MAC -> Optional.of(v.toLowerCase(Locale.ROOT).replace('-', ':')).filter(m -> MAC.matcher(m).matches())
                    .map(m -> single("mac-addr", "value", m));
            case X509 -> MispType.hash(t.key(), v).map(h -> {
                ObjectNode p = Json.object();
                p.putObject("hashes").put(t.key(), h);
                return observed(sco("x509-certificate", p), "[x509-certificate:hashes." + StixPatterns.literal(t.key())
                        + " = " + StixPatterns.literal(h) + "]");
            });
            case EMAIL_SUBJECT -> nonEmpty(v).map(s -> email("subject", s, "subject"));
            case EMAIL_BODY -> nonEmpty(v).map(s -> email("body", s, "body"));
            case EMAIL_MESSAGE_ID -> nonEmpty(v).map(s -> email("message_id", s, "message_id"));
            case EMAIL_HEADER -> nonEmpty(v).map(s -> header(t.key(), s));
            case SIGNATURE -> nonEmpty(value).filter(p -> !t.key().equals("stix") || StixPatterns.problem(p).isEmpty())
                    .map(p -> new Rule(t.key(), p));
            case VULNERABILITY -> nonEmpty(v).map(MispStix::vulnerability);
            case THREAT_ACTOR -> nonEmpty(v).map(n -> named("threat-actor", n));
            case CAMPAIGN -> nonEmpty(v).map(n -> named("campaign", n));
            case LINK, TEXT -> Optional.empty();
        };
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    /** A composite {@code a|b} value, split at its last bar (a port or hash never holds one) or its first. */
    private static Optional<String[]> split(String v, boolean atLast) {
        int bar = atLast ? v.lastIndexOf('|') : v.indexOf('|');
        return bar < 0 ? Optional.empty() : Optional.of(new String[] {v.substring(0, bar), v.substring(bar + 1)});
    }

    /**
     * A registry key with its hive spelled out: STIX (§6.13) forbids the abbreviations MISP users write ({@code HKLM});
     * a key that still holds one anywhere fails the official schema and travels as text instead.
     */
    private static Optional<String> hive(String key) {
        int slash = key.indexOf('\\');
        String hive = (slash < 0 ? key : key.substring(0, slash)).toUpperCase(Locale.ROOT);
        String full = switch (hive) {
            case "HKLM" -> "HKEY_LOCAL_MACHINE";
            case "HKCU" -> "HKEY_CURRENT_USER";
            case "HKCR" -> "HKEY_CLASSES_ROOT";
            case "HKU" -> "HKEY_USERS";
            case "HKCC" -> "HKEY_CURRENT_CONFIG";
            default -> null;
        };
        String k = full == null ? key : full + (slash < 0 ? "" : key.substring(slash));
        return HIVE_ABBREVIATION.matcher(k).find() ? Optional.empty() : Optional.of(k);
    }

    private static Optional<Integer> port(String s) {
        String p = s.strip();
        if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int n = Integer.parseInt(p);
        return n <= 65535 ? Optional.of(n) : Optional.empty();
    }

    private static Observed observed(Observable o) {
        return new Observed(List.of(StixObservables.sco(o)), StixObservables.pattern(o));
    }

    /**
     * An SCO with an id over all the properties given: for these SCOs the properties Parley sets are exactly what tells
     * two of them apart. One with none of its §6 ID-contributing properties (an email-message known only by its
     * Message-ID) must have a version 4 id, which is then drawn from the same content ({@link StixIds#contentV4}).
     */
    private static ObjectNode sco(String type, ObjectNode properties) {
        ObjectNode sco = Json.object();
        sco.put("type", type);
        sco.put("spec_version", "2.1");
        sco.put("id", SemanticChecks.hasNoDeterministicId(type, properties) ? StixIds.contentV4(type, properties)
                : StixIds.scoId(type, properties));
        sco.setAll(properties);
        return sco;
    }

    private static Observed single(String type, String property, String value) {
        ObjectNode p = Json.object();
        p.put(property, value);
        return observed(sco(type, p), "[" + type + ":" + property + " = " + StixPatterns.literal(value) + "]");
    }

    private static Observed observed(ObjectNode sco, String pattern) {
        return new Observed(List.of(sco), pattern);
    }

    private static Observed file(String name, String hashKey, String hash, String data) {
        ObjectNode p = Json.object();
        List<String> terms = new ArrayList<>();
        if (name != null) {
            p.put("name", name);
            terms.add("file:name = " + StixPatterns.literal(name));
        }
        if (hashKey != null) {
            p.putObject("hashes").put(hashKey, hash);
            terms.add("file:hashes." + StixPatterns.literal(hashKey) + " = " + StixPatterns.literal(hash));
        }
        ObjectNode artifact = null;
        if (data != null && !data.isEmpty() && data.length() <= MAX_DATA && data.length() % 4 == 0
                && BASE64.matcher(data).matches()) {
            ObjectNode a = Json.object();
            a.put("payload_bin", data);
            artifact = sco("artifact", a);
        }
        ObjectNode file = sco("file", p);
        if (artifact == null) {
            return new Observed(List.of(file), "[" + String.join(" AND ", terms) + "]");
        }
        file.put("content_ref", artifact.get("id").textValue());
        return new Observed(List.of(file, artifact), "[" + String.join(" AND ", terms) + "]");
    }

    private static Observed traffic(String direction, Observed endpoint, int port, String protocol) {
        ObjectNode target = endpoint.scos().get(0);
        ObjectNode p = Json.object();
        p.put(direction + "_ref", target.get("id").textValue());
        p.put(direction + "_port", port);
        p.putArray("protocols").add(protocol);
        String valuePath = target.get("type").textValue().equals("autonomous-system") ? "number" : "value";
        String pattern = "[network-traffic:" + direction + "_ref.type = " + StixPatterns.literal(target.get("type").textValue())
                + " AND network-traffic:" + direction + "_ref." + valuePath + " = "
                + StixPatterns.literal(target.get(valuePath).asText()) + " AND network-traffic:" + direction + "_port = "
                + port + "]";
        return new Observed(List.of(sco("network-traffic", p), target), pattern);
    }

    private static Observed resolves(Observable domain, Observable ip) {
        ObjectNode address = StixObservables.sco(ip);
        ObjectNode d = StixObservables.sco(domain);
        d.putArray("resolves_to_refs").add(address.get("id").textValue());
        return new Observed(List.of(d, address), "[domain-name:value = " + StixPatterns.literal(domain.value())
                + " AND domain-name:resolves_to_refs[*].value = " + StixPatterns.literal(ip.value()) + "]");
    }

    private static Observed registry(String key, String data) {
        ObjectNode p = Json.object();
        p.put("key", key);
        String pattern = "[windows-registry-key:key = " + StixPatterns.literal(key);
        if (data != null) {
            p.putArray("values").addObject().put("data", data);
            pattern += " AND windows-registry-key:values[*].data = " + StixPatterns.literal(data);
        }
        return observed(sco("windows-registry-key", p), pattern + "]");
    }

    private static Observed email(String property, String value, String path) {
        ObjectNode p = Json.object();
        p.put("is_multipart", false);
        p.put(property, value);
        return observed(sco("email-message", p), "[email-message:" + path + " = " + StixPatterns.literal(value) + "]");
    }

    private static Observed header(String name, String value) {
        ObjectNode p = Json.object();
        p.put("is_multipart", false);
        p.putObject("additional_header_fields").put(name, value);
        return observed(sco("email-message", p), "[email-message:additional_header_fields." + StixPatterns.literal(name)
                + " = " + StixPatterns.literal(value) + "]");
    }

    private static Named vulnerability(String name) {
        Named n = named("vulnerability", name);
        if (CVE.matcher(name).matches()) {
            n.properties().putArray("external_references").addObject().put("source_name", "cve").put("external_id", name);
        }
        return n;
    }

    private static Named named(String type, String name) {
        ObjectNode p = Json.object();
        p.put("name", name);
        return new Named(type, p);
    }
}
