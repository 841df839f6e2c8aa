package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;
import io.parley.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The official OASIS STIX 2.1 JSON schemas (draft 2020-12), compiled once from the classpath.
 *
 * <h2>How the schemas reference each other</h2>
 * Every schema declares an absolute {@code $id} under {@value #ID_BASE} and refers to its siblings relatively
 * ({@code ../common/core.json}, {@code granular-marking.json}); a relative {@code $ref} resolves against the
 * referring schema's {@code $id} (JSON Schema 2020-12 §8.2.1), so every reference lands under that same base. The
 * {@link OfflineLoader} serves that base from {@code stix2.1/schemas/} on the classpath and refuses any other
 * {@code http(s)} address, so validation never touches the network even if a future schema adds a foreign reference.
 *
 * <h2>Why one schema per object, not {@code bundle.json}</h2>
 * {@code bundle.json} puts every object through a 35-way {@code oneOf}: each object is validated against every type's
 * schema, and a failure is reported as "no branch matched" rather than at the offending property. Choosing the schema
 * by the object's {@code type} is both ~35 times cheaper and gives precise pointers.
 *
 * <p>Thread-safety: the schemas' validators are initialised eagerly in the constructor, after which
 * {@link JsonSchema#validate} is read-only and safe to call concurrently.
 */
final class StixSchemas {
    static final String ID_BASE = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";
    static final String CLASSPATH_BASE = "stix2.1/schemas/";

    static final List<String> SDOS = List.of("attack-pattern", "campaign", "course-of-action", "grouping", "identity",
            "incident", "indicator", "infrastructure", "intrusion-set", "location", "malware", "malware-analysis",
            "note", "observed-data", "opinion", "report", "threat-actor", "tool", "vulnerability");
    static final List<String> SROS = List.of("relationship", "sighting");
    static final List<String> SCOS = List.of("artifact", "autonomous-system", "directory", "domain-name",
            "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic",
            "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate");
    /** STIX Meta Objects (§7), whose schemas live in {@code common/}. */
    static final List<String> SMOS = List.of("marking-definition", "language-content", "extension-definition");

    private final Map<String, JsonSchema> byType = new HashMap<>();
    private final JsonSchema customSdoLike;
    private final JsonSchema customScoLike;

    StixSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaLoaders(l -> l.add(new OfflineLoader())));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(false) // the STIX schemas use regexes, not "format"
                .regularExpressionFactory(new MemoizingRegex())
                .build();
        SDOS.forEach(t -> byType.put(t, load(factory, config, "sdos/" + t + ".json")));
        SROS.forEach(t -> byType.put(t, load(factory, config, "sros/" + t + ".json")));
        SCOS.forEach(t -> byType.put(t, load(factory, config, "observables/" + t + ".json")));
        SMOS.forEach(t -> byType.put(t, load(factory, config, "common/" + t + ".json")));
        customSdoLike = load(factory, config, "common/core.json");
        customScoLike = load(factory, config, "common/cyber-observable-core.json");
    }

    private static JsonSchema load(JsonSchemaFactory factory, SchemaValidatorsConfig config, String path) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of(ID_BASE + path), config);
        schema.initializeValidators(); // resolve every $ref now: later validation is then read-only
        return schema;
    }

    static boolean isSdo(String type) {
        return SDOS.contains(type);
    }

    static boolean isSro(String type) {
        return SROS.contains(type);
    }

    static boolean isSco(String type) {
        return SCOS.contains(type);
    }

    static boolean isSmo(String type) {
        return SMOS.contains(type);
    }

    /** True for any type the specification defines (as opposed to a custom object). */
    static boolean isSpecType(String type) {
        return isSdo(type) || isSro(type) || isSco(type) || isSmo(type);
    }

    /**
     * Validates one object against the schema for its type; custom types (not in the spec) get the common core:
     * {@code core.json} when they look like an SDO (have {@code created}), {@code cyber-observable-core.json}
     * otherwise, mirroring the custom-object branch of the official {@code bundle.json}.
     */
    Set<ValidationMessage> validate(String type, JsonNode object) {
        JsonSchema schema = byType.get(type);
        if (schema == null) {
            schema = object.has("created") ? customSdoLike : customScoLike;
        }
        return schema.validate(object);
    }

    /** Serves the OASIS {@code $id} base from the classpath and refuses every other network address. */
    static final class OfflineLoader implements SchemaLoader {
        @Override
        public InputStreamSource getSchema(AbsoluteIri iri) {
            String s = iri.toString();
            String https = "https" + ID_BASE.substring(4);
            String rel = s.startsWith(ID_BASE) ? s.substring(ID_BASE.length())
                    : s.startsWith(https) ? s.substring(https.length()) : null;
            if (rel != null) {
                String resource = CLASSPATH_BASE + rel;
                return () -> open(resource);
            }
            if (s.startsWith("http:") || s.startsWith("https:")) {
                return () -> {
                    throw new IOException("offline: Parley never fetches schemas from the network (" + s + ")");
                };
            }
            return null; // classpath: and the built-in meta-schemas are handled by the library's own loaders
        }

        private static InputStream open(String resource) throws IOException {
            InputStream in = StixSchemas.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("STIX schema missing from the classpath: " + resource);
            }
            return in;
        }
    }

    /** Exposed for tests: the ids of every bundled schema parse and carry the expected base. */
    static String idOf(String path) throws IOException {
        try (InputStream in = OfflineLoader.open(CLASSPATH_BASE + path)) {
            return Json.MAPPER.readTree(in).path("$id").asText();
        }
    }
}
