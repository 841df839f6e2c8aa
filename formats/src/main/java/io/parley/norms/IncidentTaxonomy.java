package io.parley.norms;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The incident categories a notification or request may carry in {@code body.category} ({@code taxonomy.json}): the
 * classification/type pairs of the Reference Security Incident Taxonomy (RSIT) of ENISA and the CSIRTs Network, such
 * as {@code availability/ddos}, and Parley's extensions for influence operations ({@code influence-operation/...},
 * which may name a DISARM technique in {@code body.disarm_technique}) and connectivity shutdowns
 * ({@code connectivity/...}).
 */
public final class IncidentTaxonomy {
    /** A DISARM framework technique id ({@code T0019}) or sub-technique ({@code T0019.001}). */
    private static final Pattern DISARM = Pattern.compile("T[0-9]{4}(\\.[0-9]{3})?");
    public static final String INFLUENCE_OPERATION = "influence-operation";

    /** One category: its code ({@code classification/type}), a title for people, and {@code rsit} or {@code parley}. */
    public record Category(String code, String title, String source) {
        public String classification() {
            return code.substring(0, code.indexOf('/'));
        }
    }

    private final Map<String, Category> categories;

    private IncidentTaxonomy(Map<String, Category> categories) {
        this.categories = categories;
    }

    public static IncidentTaxonomy shipped() {
        return Shipped.VALUE;
    }

    /** Read on first use only: the pure timeline uses this class's static rules without needing the list. */
    private static final class Shipped {
        static final IncidentTaxonomy VALUE = load("taxonomy.json");
    }

    public List<Category> all() {
        return List.copyOf(categories.values());
    }

    public Optional<Category> find(String code) {
        return Optional.ofNullable(code == null ? null : categories.get(code));
    }

    public static boolean isDisarmTechnique(String id) {
        return id != null && DISARM.matcher(id).matches();
    }

    private static IncidentTaxonomy load(String resource) {
        JsonNode o = Resources.json(IncidentTaxonomy.class, resource);
        Map<String, Category> out = new LinkedHashMap<>();
        for (JsonNode c : o.get("categories")) {
            String code = c.get("code").asText();
            if (code.indexOf('/') <= 0) throw new IllegalStateException(resource + ": " + code + " is not classification/type");
            if (out.put(code, new Category(code, c.get("title").asText(), c.get("source").asText())) != null) {
                throw new IllegalStateException(resource + " lists " + code + " twice");
            }
        }
        return new IncidentTaxonomy(Collections.unmodifiableMap(out));
    }
}
