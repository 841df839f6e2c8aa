package io.parley.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.bundle.StatementJson;
import io.parley.cases.CaseBook;
import io.parley.cases.JointStatements;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.JointStatement;

/**
 * Joint statements under {@code /api/v1/cases/{id}/statement}: propose one on a finished case, co-sign one word for
 * word. Registered before the case actions, whose {@code {action}} segment would otherwise take {@code statement}.
 */
final class StatementRoutes {
    private final CaseBook cases;
    private final JointStatements statements;

    StatementRoutes(CaseBook cases, JointStatements statements) {
        this.cases = cases;
        this.statements = statements;
    }

    void register(Javalin app) {
        app.post("/api/v1/cases/{id}/statement", this::propose);
        app.post("/api/v1/cases/{id}/statement/{hash}/cosign", this::cosign);
    }

    private void propose(Context ctx) {
        CaseTimeline t = named(ctx);
        JointStatement s = statements.propose(t.channel(), t.caseId(), JointStatements.draft(Requests.jsonObject(ctx)), CaseRoutes.author(ctx));
        ctx.header("Location", "/api/v1/cases/" + t.caseId() + "?channel=" + URLEncoder.encode(t.channel(), StandardCharsets.UTF_8));
        ApiRoutes.json(ctx, 201, StatementJson.of(s));
    }

    private void cosign(Context ctx) {
        CaseTimeline t = named(ctx);
        JointStatement s = statements.cosign(t.channel(), t.caseId(), ctx.pathParam("hash"), CaseRoutes.author(ctx));
        ApiRoutes.json(ctx, 200, StatementJson.of(s));
    }

    private CaseTimeline named(Context ctx) {
        String id = ctx.pathParam("id");
        String channel = ctx.queryParam("channel");
        return cases.find(id, channel).orElseThrow(() -> ProblemException.notFound("no case '" + id + "' is known here"
                + (channel == null ? "" : " in channel " + channel)));
    }
}
