package io.parley.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.json.Json;
import io.parley.norms.CommitmentCatalogue;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.PreservationHold;

/** The catalogues shipped with this node: commitments a charter may list and incident categories a case may carry. */
final class NormsRoutes {
    void register(Javalin app) {
        app.get("/api/v1/commitments", ctx -> ApiRoutes.json(ctx, 200, catalogue()));
        app.get("/api/v1/taxonomy", ctx -> ApiRoutes.json(ctx, 200, taxonomy()));
    }

    static ObjectNode catalogue() {
        CommitmentCatalogue c = CommitmentCatalogue.shipped();
        ObjectNode o = Json.object();
        ObjectNode sources = o.putObject("sources");
        c.sources().forEach(sources::put);
        ArrayNode cs = o.putArray("commitments");
        for (CommitmentCatalogue.Entry e : c.all()) cs.addObject().put("id", e.id()).put("source", e.source()).put("title", e.title()).put("summary", e.summary());
        o.put("free_form_prefix", Practice.FREE_FORM_PREFIX);
        return o;
    }

    static ObjectNode taxonomy() {
        ObjectNode o = Json.object();
        ArrayNode cs = o.putArray("categories");
        for (IncidentTaxonomy.Category c : IncidentTaxonomy.shipped().all()) {
            cs.addObject().put("code", c.code()).put("classification", c.classification()).put("title", c.title()).put("source", c.source());
        }
        o.put("disarm_technique_pattern", "T[0-9]{4}(\\.[0-9]{3})?");
        o.put("preservation_minimum_days", PreservationHold.MINIMUM_DAYS);
        return o;
    }

    /** A charter's commitments with their titles: what the channel view lists. */
    static ArrayNode commitments(Charter charter) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Practice.Commitment c : charter.practice().commitments()) {
            ObjectNode o = out.addObject().put("id", c.id()).put("title", CommitmentCatalogue.shipped().titleOf(c));
            if (c.freeForm()) o.put("free_form", true);
            else CommitmentCatalogue.shipped().find(c.id()).ifPresent(e -> o.put("summary", e.summary()));
        }
        return out;
    }
}
