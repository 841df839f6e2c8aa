package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.json.Json;

/** Observable ↔ STIX: the SCO that carries an observable and the pattern that matches it. */
final class StixObservables {
    private StixObservables() {}

    /** A STIX 2.1 SCO for {@code o}, with its deterministic id (§2.9) computed over the ID-contributing properties. */
    static ObjectNode sco(Observable o) {
        ObjectNode contributing = Json.object();
        switch (o.type()) {
            case ASN -> contributing.put("number", Long.parseLong(o.value().substring(2)));
            case MD5, SHA1, SHA256 -> contributing.putObject("hashes").put(o.type().stixHashKey(), o.value());
            default -> contributing.put("value", o.value());
        }
        ObjectNode sco = Json.object();
        sco.put("type", o.type().stixType());
        sco.put("spec_version", "2.1");
        sco.put("id", StixIds.scoId(o.type().stixType(), contributing));
        sco.setAll(contributing);
        return sco;
    }

    /** The STIX pattern (§9) that matches exactly {@code o}, e.g. {@code [file:hashes.'SHA-256' = '…']}. */
    static String pattern(Observable o) {
        return switch (o.type()) {
            case ASN -> "[autonomous-system:number = " + o.value().substring(2) + "]";
            case MD5, SHA1, SHA256 -> "[file:hashes." + StixPatterns.literal(o.type().stixHashKey()) + " = "
                    + StixPatterns.literal(o.value()) + "]";
            default -> "[" + o.type().stixType() + ":value = " + StixPatterns.literal(o.value()) + "]";
        };
    }

    /** The observables an SCO carries (one, or several hashes for a file). */
    static java.util.List<Observable> of(JsonNode sco) {
        ObjectNode bundle = Json.object();
        bundle.putArray("objects").add(sco);
        return Indicators.extract(bundle);
    }
}
