package io.parley.web;

import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.cases.CaseBook;
import io.parley.cases.CaseException;
import io.parley.cases.CourtesyTranslations;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.node.Node;
import io.parley.timeline.CaseTimeline;
import io.parley.web.WebRoutes.Session;
import io.parley.web.WebRoutes.WebError;

/**
 * The case page's "add a courtesy translation" form ({@code tag/translations.jte}): signs the translation through the
 * same service as the API ({@link CourtesyTranslations}), so the same rules and the same marking policy apply, and
 * comes back to the entry, where the translation now shows next to the original. A refusal the officer can fix (the
 * original's language, no text) is said on the case page in the reader's language.
 */
final class CourtesyTranslationRoutes {
    /** The refusals a duty officer can act on, by problem code, and what the page says for each. */
    private static final Map<String, String> REFUSALS = Map.of(
            "same-language", "translation.error.sameLanguage",
            "no-free-text", "translation.error.noText",
            "other-case", "translation.error.unknown",
            "unknown-envelope", "translation.error.unknown",
            "marking-forbids", "translation.error.marking",
            "weaker-marking", "translation.error.marking",
            "not-a-holder", "translation.error.marking");

    private final Node node;
    private final CaseBook cases;
    private final CourtesyTranslations translations;

    CourtesyTranslationRoutes(Node node, CaseBook cases) {
        this.node = node;
        this.cases = cases;
        this.translations = new CourtesyTranslations(node, cases);
    }

    /** Registered before {@code POST /cases/{id}/{action}}, which would otherwise take {@code translations}. */
    void register(Javalin app, WebRoutes web) {
        app.post("/cases/{id}/translations", web.page((ctx, s) -> translate(ctx, s, web)));
    }

    private void translate(Context ctx, Session s, WebRoutes web) {
        String id = ctx.pathParam("id");
        String channel = ctx.formParam("channel") != null ? ctx.formParam("channel") : ctx.queryParam("channel");
        CaseTimeline t = cases.find(id, channel).orElseThrow(() -> new WebError(404, s.pages().texts().t("translation.error.noCase"),
                s.pages().texts().t("translation.error.noCaseText", id)));
        String of = value(ctx, "of");
        String text = value(ctx, "text");
        String key = null;
        if (text.isEmpty()) key = "translation.error.text";
        else {
            try {
                translations.translate(t.channel(), t.caseId(), new CourtesyTranslations.Draft(of, value(ctx, "lang"), text), s.user(),
                        node.messageAccess().reader(s.account()));
            } catch (EnvelopeFormatException e) {
                key = e.field() != null && e.field().endsWith("/lang") ? "translation.error.lang" : "translation.error.text";
            } catch (CaseException e) {
                key = REFUSALS.get(e.code());
                if (key == null) throw e;
            }
        }
        if (key != null) {
            var model = s.pages().casePage(s.layout(s.pages().texts().t("translation.pageTitle", id), "cases", 0, s.pages().texts().t(key), true),
                    t.channel(), id).orElseThrow();
            web.render(ctx, 422, "case.jte", model);
            return;
        }
        WebRoutes.seeOther(ctx, Fmt.caseHref(t.caseId(), t.channel(), null) + "#tr-" + of.toLowerCase(java.util.Locale.ROOT).replaceAll("[^0-9a-f]", ""));
    }

    private static String value(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.replace("\r\n", "\n").strip();
    }
}
