package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.api.ProblemException;
import io.parley.api.RequestAudit;
import io.parley.audit.AuditAction;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.identity.Sha256;
import io.parley.json.Json;
import io.parley.node.Node;

/**
 * A channel's MISP feed ({@link MispFeed}) under {@code /api/v1/channels/{id}/misp-feed/}: {@code manifest.json},
 * {@code <uuid>.json} and {@code hashes.csv}, where a MISP instance configured with that URL and an
 * {@code Authorization: Bearer} header looks for them. Authenticated like the rest of the API (HttpServer); a token
 * limited to channels reads the feeds of those channels only (Permissions). Each answer carries a strong ETag of its
 * bytes and answers {@code If-None-Match} with 304, so a frequent poller costs a conversion but not the transfer.
 */
final class MispFeedRoutes {
    private static final Pattern EVENT_FILE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.json");

    private final Node node;
    private final Evidence evidence;
    private final MispFeed feed;

    MispFeedRoutes(Node node, Evidence evidence) {
        this.node = node;
        this.evidence = evidence;
        this.feed = new MispFeed(evidence, new EvidenceExports(node, evidence));
    }

    void register(Javalin app) {
        app.get("/api/v1/channels/{id}/misp-feed/{file}", this::file);
    }

    private void file(Context ctx) {
        LocalUser reader = EvidenceRoutes.requester(evidence, ctx);
        String channel = ctx.pathParam("id");
        if (evidence.audiences().channels().charter(channel).isEmpty()) throw ProblemException.notFound("no channel '" + channel + "' on this node");
        String file = ctx.pathParam("file");
        if (file.equals("manifest.json")) {
            List<MispFeed.Event> events = feed.events(reader, channel);
            RequestAudit.done(node, ctx, AuditAction.EXPORT, "channel " + channel, "MISP feed manifest, " + events.size() + " events");
            send(ctx, "application/json; charset=utf-8", Json.write(MispFeed.manifest(events)));
        } else if (file.equals("hashes.csv")) {
            List<MispFeed.Event> events = feed.events(reader, channel);
            RequestAudit.done(node, ctx, AuditAction.EXPORT, "channel " + channel, "MISP feed hashes, " + events.size() + " events");
            send(ctx, "text/csv; charset=utf-8", MispFeed.hashes(events));
        } else if (EVENT_FILE.matcher(file).matches()) {
            String uuid = file.substring(0, file.length() - ".json".length());
            MispFeed.Event event = feed.event(reader, channel, uuid).orElseThrow(() -> ProblemException.notFound(
                    "no event " + uuid + " in channel " + channel + "'s MISP feed that this account may read"));
            RequestAudit.done(node, ctx, AuditAction.EXPORT, "evidence " + event.sha256(), "MISP feed of channel " + channel);
            send(ctx, "application/json; charset=utf-8", Json.write(event.misp()));
        } else {
            throw ProblemException.notFound("a MISP feed has manifest.json, hashes.csv and <event uuid>.json (lower case), not '" + file + "'");
        }
    }

    private static void send(Context ctx, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String etag = "\"" + Sha256.hex(bytes) + "\"";
        ctx.header("ETag", etag).header("Cache-Control", "private, no-cache");
        String match = ctx.header("If-None-Match");
        if (match != null && List.of(match.split("\\s*,\\s*")).contains(etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(contentType).result(bytes);
    }
}
