package io.parley.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.Envelope;
import io.parley.norms.IncidentTaxonomy;

/**
 * What a case says about the norms it is raised under, read from its opening envelope: its incident category
 * ({@code body.category}, with an optional DISARM technique for an influence operation), the charter commitments it
 * invokes ({@code body.commitments}) and, for a preservation request, its hold.
 *
 * <p>Like the rest of the timeline this depends only on the envelopes and the charter, never on the version of the
 * shipped catalogues: a category is kept if it is shaped {@code classification/type} (the node refuses unknown ones
 * only when it composes), and of the commitments cited only those the channel's charter lists count. A dishonest
 * peer citing a commitment its charter does not list is on record in its envelope and is ignored here, so it
 * never reaches the report's figures.
 *
 * @param category the category code, or null
 * @param disarmTechnique the DISARM technique id of an influence operation, or null
 * @param commitments the cited commitments that the charter lists, in the order cited, without repeats
 * @param hold the preservation hold, or null for any other case
 */
public record CaseNorms(String category, String disarmTechnique, List<String> commitments, PreservationHold hold) {
    public static final CaseNorms NONE = new CaseNorms(null, null, List.of(), null);
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*");

    public CaseNorms {
        commitments = List.copyOf(commitments);
    }

    static CaseNorms of(CaseTimeline.Item opening, List<CaseTimeline.Item> byTime, Charter charter) {
        Envelope o = opening.envelope();
        JsonNode body = o.body();
        String category = body.path("category").isTextual() && body.get("category").textValue().length() <= 100
                && CATEGORY.matcher(body.get("category").textValue()).matches() ? body.get("category").textValue() : null;
        String technique = category != null && category.startsWith(IncidentTaxonomy.INFLUENCE_OPERATION + "/")
                && IncidentTaxonomy.isDisarmTechnique(body.path("disarm_technique").asText(null)) ? body.get("disarm_technique").textValue() : null;
        List<String> cited = new ArrayList<>();
        for (JsonNode c : body.path("commitments")) {
            if (c.isTextual() && listed(charter, c.textValue()) && !cited.contains(c.textValue())) cited.add(c.textValue());
        }
        return new CaseNorms(category, technique, cited, PreservationHold.of(opening, byTime));
    }

    private static boolean listed(Charter charter, String id) {
        return charter.practice().commitments().stream().map(Practice.Commitment::id).anyMatch(id::equals);
    }
}
