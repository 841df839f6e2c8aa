package io.parley.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.bundle.TimelineJson;
import io.parley.cases.CaseBook;
import io.parley.cases.CourtesyTranslations;
import io.parley.node.Node;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.CourtesyTranslation;

/**
 * {@code POST /api/v1/cases/{id}/translations}: a courtesy translation of a case message's free text, signed by this
 * node for the calling account ({@link CourtesyTranslations}). Registered before the case actions, whose
 * {@code {action}} segment would otherwise take {@code translations}.
 */
final class TranslationRoutes {
    private final Node node;
    private final CaseBook cases;
    private final CourtesyTranslations translations;

    TranslationRoutes(Node node, CaseBook cases) {
        this.node = node;
        this.cases = cases;
        this.translations = new CourtesyTranslations(node, cases);
    }

    void register(Javalin app) {
        app.post("/api/v1/cases/{id}/translations", this::translate);
    }

    private void translate(Context ctx) {
        String id = ctx.pathParam("id");
        String channel = ctx.queryParam("channel");
        CaseTimeline t = cases.find(id, channel).orElseThrow(() -> ProblemException.notFound("no case '" + id + "' is known here"
                + (channel == null ? "" : " in channel " + channel)));
        CourtesyTranslation x = translations.translate(t.channel(), t.caseId(), CourtesyTranslations.Draft.of(Requests.jsonObject(ctx)),
                CaseRoutes.author(ctx), ApiRoutes.reader(node, ctx));
        ctx.header("Location", "/api/v1/cases/" + t.caseId() + "?channel=" + URLEncoder.encode(t.channel(), StandardCharsets.UTF_8));
        ObjectNode out = (ObjectNode) TimelineJson.translations(java.util.List.of(x)).get(0);
        out.put("of", x.of());
        ApiRoutes.json(ctx, 201, out);
    }
}
