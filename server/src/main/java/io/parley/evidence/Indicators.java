package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Extracts the observables worth correlating from a bundle: from Cyber-observable Objects directly, and from the
 * simple comparisons of {@code stix} patterns in indicators ({@code [ipv4-addr:value = '203.0.113.7']},
 * {@code [file:hashes.'SHA-256' = '…']}, OR/AND combinations, {@code IN} lists). Only equality is taken: a value under
 * {@code LIKE}, {@code MATCHES}, {@code !=} or {@code NOT} does not name one observable.
 */
public final class Indicators {
    /** Which SCO property (or pattern path) names which observable kind. */
    private static final Map<String, ObservableType> VALUE_TYPES = Map.of(
            "ipv4-addr", ObservableType.IPV4,
            "ipv6-addr", ObservableType.IPV6,
            "domain-name", ObservableType.DOMAIN,
            "url", ObservableType.URL,
            "email-addr", ObservableType.EMAIL);

    /** A domain's {@code resolves_to_refs} followed to the value, at any index or all of them. */
    private static final java.util.regex.Pattern RESOLVES_TO = java.util.regex.Pattern.compile("resolves_to_refs\\[(\\*|\\d+)\\]\\.value");

    private Indicators() {}

    /** Every distinct observable in the bundle, in order of first appearance. */
    public static List<Observable> extract(JsonNode bundle) {
        Set<Observable> out = new LinkedHashSet<>();
        for (JsonNode o : bundle.path("objects")) {
            String type = o.path("type").asText();
            if (type.equals("indicator")) {
                String patternType = o.path("pattern_type").asText("stix");
                if (patternType.equals("stix") && o.path("pattern").isTextual()) {
                    out.addAll(fromPattern(o.get("pattern").textValue()));
                }
            } else if (type.equals("observed-data") && o.path("objects").isObject()) {
                o.get("objects").forEach(sco -> fromSco(sco, out)); // STIX 2.0-style embedded objects (deprecated)
            } else {
                fromSco(o, out);
            }
        }
        return List.copyOf(out);
    }

    /** The observables named by equality comparisons in one STIX pattern. */
    public static List<Observable> fromPattern(String pattern) {
        Set<Observable> out = new LinkedHashSet<>();
        for (StixPatterns.Comparison c : StixPatterns.comparisons(pattern)) {
            if (!c.operator().equals("=") && !c.operator().equals("IN")) {
                continue;
            }
            for (String v : c.values()) {
                fromComparison(c.objectType(), c.path(), v).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    /** One {@code type:path = value} comparison as an observable, when the path names one Parley correlates. */
    static Optional<Observable> fromComparison(String objectType, String path, String value) {
        ObservableType t = VALUE_TYPES.get(objectType);
        if (t != null && path.equals("value")) {
            return Observable.of(t, value);
        }
        if (objectType.equals("autonomous-system") && path.equals("number")) {
            return Observable.of(ObservableType.ASN, value);
        }
        if ((objectType.equals("file") || objectType.equals("artifact")) && path.startsWith("hashes.")) {
            return hashType(path.substring("hashes.".length())).flatMap(h -> Observable.of(h, value));
        }
        // What a traffic end or a domain points at is an address or a domain name (STIX 2.1 §6.7, §6.3): a pattern
        // from MISP's domain|ip names the address only there.
        if ((objectType.equals("network-traffic") && (path.equals("src_ref.value") || path.equals("dst_ref.value")))
                || (objectType.equals("domain-name") && RESOLVES_TO.matcher(path).matches())) {
            Optional<Observable> ip = Observable.ip(value);
            return ip.isPresent() ? ip : Observable.of(ObservableType.DOMAIN, value);
        }
        if (objectType.equals("email-message") && path.endsWith(".value") && (path.startsWith("from_ref")
                || path.startsWith("sender_ref") || path.startsWith("to_refs") || path.startsWith("cc_refs")
                || path.startsWith("bcc_refs"))) {
            return Observable.of(ObservableType.EMAIL, value);
        }
        return Optional.empty();
    }

    private static void fromSco(JsonNode sco, Set<Observable> out) {
        String type = sco.path("type").asText();
        ObservableType t = VALUE_TYPES.get(type);
        if (t != null) {
            Observable.of(t, sco.path("value").asText(null)).ifPresent(out::add);
        } else if (type.equals("autonomous-system") && sco.path("number").canConvertToLong()) {
            Observable.of(ObservableType.ASN, sco.get("number").asText()).ifPresent(out::add);
        } else if (type.equals("file") || type.equals("artifact")) {
            for (var e : sco.path("hashes").properties()) {
                hashType(e.getKey()).flatMap(h -> Observable.of(h, e.getValue().asText(null))).ifPresent(out::add);
            }
        }
    }

    /** STIX hash-algorithm-ov keys (§10.10) plus the common spellings without the hyphen. */
    static Optional<ObservableType> hashType(String key) {
        return switch (key.toUpperCase(Locale.ROOT)) {
            case "MD5" -> Optional.of(ObservableType.MD5);
            case "SHA-1", "SHA1" -> Optional.of(ObservableType.SHA1);
            case "SHA-256", "SHA256" -> Optional.of(ObservableType.SHA256);
            default -> Optional.empty();
        };
    }
}
