package io.parley.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UploadedFile;
import io.parley.api.RequestBodies;
import io.parley.bundle.CaseBundleVerifier;
import io.parley.json.Json;
import io.parley.json.MalformedJsonException;
import io.parley.web.WebRoutes.Session;
import io.parley.web.WebRoutes.WebError;
import io.parley.web.i18n.Texts;
import jakarta.servlet.MultipartConfigElement;

/**
 * {@code /verify}: any signed-in account uploads a case bundle and sees every check of {@link CaseBundleVerifier} (the
 * code {@code parley verify} runs, nothing re-implemented) pass or fail, grouped and explained in its language
 * ({@link VerifyChecks}). Nothing of the upload is stored or logged: it is read into memory, verified, and dropped.
 *
 * <p>The upload is bounded on the stream ({@link RequestBodies#limitFor}: the API's largest body); the multipart parts
 * are kept in memory (never spilled to a temporary file) since the stream cap is below the in-memory threshold. Input
 * that is not a JSON document in UTF-8 (too large, not UTF-8, not JSON, nested beyond {@link Json#CONSTRAINTS}) is
 * refused with a page that says so, never a 500.
 */
final class VerifyPage {
    /** Jetty reads the multipart configuration of a request from this attribute (Javalin sets its default only when absent). */
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    static final long MAX_BYTES = RequestBodies.limitFor("/verify");
    /** Parts stay in memory up to this size; the stream cap refuses any body before it is reached. */
    private static final MultipartConfigElement IN_MEMORY = new MultipartConfigElement(System.getProperty("java.io.tmpdir"), -1, -1,
            (int) MAX_BYTES + 1);
    static final String FILE_FIELD = "bundle";

    private final WebRoutes web;

    VerifyPage(WebRoutes web) {
        this.web = web;
    }

    void register(Javalin app) {
        app.get("/verify", web.page(this::form));
        Handler verify = web.page(this::verify);
        app.post("/verify", ctx -> {
            ctx.attribute(MULTIPART_CONFIG, IN_MEMORY);
            if (multipart(ctx)) {
                // Read the parts before the CSRF check reads its field from them, so that a body past the limit or a
                // broken multipart body gets its own page. Only for a signed-in session: others are answered 401
                // without reading the body at all.
                Session s = web.authenticate(ctx);
                if (s != null) {
                    try {
                        ctx.req().getParts();
                    } catch (Exception e) {
                        WebRoutes.securityHeaders(ctx);
                        Texts t = s.pages().texts();
                        if (tooLarge(e)) web.error(ctx, s, 413, t.t("verify.error.tooLarge"), t.t("verify.error.tooLarge.detail", maxSize(t)));
                        else web.error(ctx, s, 400, t.t("verify.error.form"), t.t("verify.error.form.detail"));
                        return;
                    }
                }
            }
            verify.handle(ctx);
        });
    }

    private static boolean multipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RequestBodies.TooLarge) return true;
            if (c.getCause() == c) break;
        }
        return false;
    }

    static String maxSize(Texts t) {
        return t.t("verify.mebibytes", MAX_BYTES / (1024 * 1024));
    }

    private void form(Context ctx, Session s) {
        Texts t = s.pages().texts();
        web.render(ctx, 200, "verify.jte", new VerifyView.Page(s.layout(t.t("verify.title"), "verify", 0, null, false), maxSize(t), null));
    }

    private void verify(Context ctx, Session s) throws java.io.IOException {
        Texts t = s.pages().texts();
        UploadedFile file = multipart(ctx) ? ctx.uploadedFile(FILE_FIELD) : null;
        if (file == null || file.size() == 0) throw new WebError(400, t.t("verify.error.noFile"), t.t("verify.error.noFile.detail"));
        byte[] bytes;
        try (var in = file.content()) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) throw new WebError(413, t.t("verify.error.tooLarge"), t.t("verify.error.tooLarge.detail", maxSize(t)));
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WebError(422, t.t("verify.error.notUtf8"), t.t("verify.error.notUtf8.detail"));
        }
        JsonNode bundle;
        try {
            bundle = Json.parse(text);
        } catch (MalformedJsonException e) {
            throw new WebError(422, t.t("verify.error.notJson"), t.t("verify.error.notJson.detail", firstLine(e.getMessage())));
        }
        CaseBundleVerifier.Report report = CaseBundleVerifier.verify(bundle);
        int failed = (int) report.checks().stream().filter(c -> !c.ok()).count();
        VerifyView.Case recomputed = null;
        if (report.timeline() != null) {
            var tl = report.timeline();
            String kind = label(t, "verify.kind.", tl.kind().wire());
            recomputed = new VerifyView.Case(tl.requestType() == null ? kind : kind + ": " + label(t, "verify.type.", tl.requestType()),
                    tl.openedBy(), t.seconds(tl.openedAt()), label(t, "verify.state.", tl.state().wire()), tl.exercise(), tl.events().size());
        }
        var result = new VerifyView.Result(name(file.filename()), report.valid(), report.checks().size() - failed, failed,
                text(bundle, "case"), text(bundle, "channel"), text(bundle, "exported_by"), text(bundle, "exported_at"), recomputed,
                VerifyChecks.group(report, t), List.copyOf(report.findings()));
        // a document that is no case bundle at all is refused as such; a bundle that fails its checks is a report like any other
        boolean notABundle = report.checks().stream().anyMatch(c -> !c.ok() && (c.name().equals("format") || c.name().equals("bundle structure")));
        web.render(ctx, notABundle ? 422 : 200, "verify.jte",
                new VerifyView.Page(s.layout(t.t("verify.title"), "verify", 0, null, false), maxSize(t), result));
    }

    /** A wire value (kind, request type, state) in the reader's language; one the bundles do not name shows as written. */
    private static String label(Texts t, String prefix, String wire) {
        return Texts.english().has(prefix + wire) ? t.t(prefix + wire) : wire;
    }

    private static String text(JsonNode bundle, String field) {
        JsonNode v = bundle.path(field);
        return v.isTextual() ? v.textValue() : null;
    }

    /** The uploaded file's name as the browser gave it, without any directory, shortened; never used as a path. */
    private static String name(String filename) {
        if (filename == null) return "";
        String n = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        return n.length() > 120 ? n.substring(0, 120) + "…" : n;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
