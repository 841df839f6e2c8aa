package io.parley.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The desk's own static files under {@code /ui/}: its stylesheet and its one small script, read from the classpath
 * once at start and served as they are. Nothing else is served from there (no directory listing, no path from the
 * request reaches the classpath), and nothing comes from another site: the pages' Content-Security-Policy
 * ({@link WebRoutes#CSP}) allows styles and scripts from the node itself only, and no inline script.
 */
final class UiAssets {
    /** name under /ui/ → media type; a file added to src/main/resources/static is served once it is listed here. */
    private static final Map<String, String> FILES = Map.of(
            "parley.css", "text/css; charset=utf-8",
            "desk.js", "text/javascript; charset=utf-8");

    private record Asset(byte[] bytes, String type) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    UiAssets() {
        FILES.forEach((name, type) -> assets.put(name, new Asset(read("/static/" + name), type)));
    }

    void register(Javalin app) {
        assets.forEach((name, asset) -> app.get("/ui/" + name, ctx -> serve(ctx, asset)));
    }

    private static void serve(Context ctx, Asset asset) {
        ctx.header("Cache-Control", "max-age=300").header("X-Content-Type-Options", "nosniff")
                .contentType(asset.type()).result(asset.bytes());
    }

    private static byte[] read(String resource) {
        try (InputStream in = UiAssets.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
