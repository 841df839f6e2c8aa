package io.parley.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.auth.Role;
import io.parley.auth.Tokens;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.TokenStore.Token;
import io.parley.store.UserStore;

/**
 * {@code /api/v1/tokens}: an account issues, lists and revokes its own bearer tokens; an admin lists and revokes
 * everyone's. The secret appears once, in the answer that creates it; lists show ids, never secrets or hashes. A
 * token cannot call these routes ({@link Tokens#scopeRefusal}): a stolen token cannot mint itself a longer life.
 */
final class TokenRoutes {
    private static final Set<String> MEMBERS = Set.of("label", "scope", "channels", "expires_in_days");

    private final Node node;

    TokenRoutes(Node node) {
        this.node = node;
    }

    void register(Javalin app) {
        app.post("/api/v1/tokens", this::create);
        app.get("/api/v1/tokens", this::list);
        app.delete("/api/v1/tokens/{id}", this::revoke);
    }

    private void create(Context ctx) {
        UserStore.User user = ctx.attribute(HttpServer.USER_ATTRIBUTE);
        ObjectNode body = Requests.jsonObject(ctx);
        body.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw new ProblemException(Problem.field(400, "unknown-field", "Bad request", "/" + name,
                        "unknown member '" + name + "'; a token takes label, scope, channels and expires_in_days"));
            }
        });
        String label = Requests.requiredText(body, "label");
        Tokens.Scope scope = Tokens.Scope.parse(Requests.optionalText(body, "scope").orElse("read")).orElseThrow(() ->
                new ProblemException(Problem.field(400, "wrong-value", "Bad request", "/scope", "scope is \"read\" or \"write\"")));
        List<String> channels = channels(body.get("channels"));
        long days = days(body.get("expires_in_days"));
        Tokens.Issued issued = node.tokens().issue(user.username(), label, scope, channels, Duration.ofDays(days));
        Token t = issued.token();
        RequestAudit.done(node, ctx, AuditAction.TOKEN_CREATED, t.id(), t.summary());
        ObjectNode out = json(t);
        out.put("token", issued.secret());
        out.put("usage", "send 'Authorization: Bearer <token>' to /api/v1/ and /taxii2/; the token is shown only now and stored as its SHA-256");
        ctx.status(201).contentType("application/json").result(Json.write(out));
    }

    private void list(Context ctx) {
        UserStore.User user = ctx.attribute(HttpServer.USER_ATTRIBUTE);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Token t : node.tokens().list(admin(user) ? null : user.username())) out.add(json(t));
        ctx.contentType("application/json").result(Json.write(out));
    }

    /** Owner or admin; anyone else learns nothing, not even that the id exists (404). Revoking twice is a no-op. */
    private void revoke(Context ctx) {
        UserStore.User user = ctx.attribute(HttpServer.USER_ATTRIBUTE);
        String id = ctx.pathParam("id");
        var found = node.tokens().find(id).filter(t -> admin(user) || t.username().equals(user.username()));
        if (found.isEmpty()) {
            if (node.tokens().find(id).isPresent()) {
                node.audit().record(AuditEvent.refused(user.username(), AuditAction.TOKEN_REVOKED, id, ctx.ip(), "not the owner's token, and not an admin"));
            }
            throw ProblemException.notFound("no token '" + id + "' of yours");
        }
        if (node.tokens().revoke(id, user.username())) {
            RequestAudit.done(node, ctx, AuditAction.TOKEN_REVOKED, id, "owner " + found.get().username() + ", label " + found.get().label());
        }
        ctx.contentType("application/json").result(Json.write(json(node.tokens().find(id).orElseThrow())));
    }

    private static boolean admin(UserStore.User user) {
        return Role.parse(user.role()).orElse(null) == Role.ADMIN;
    }

    private static List<String> channels(JsonNode v) {
        if (v == null || v.isNull()) return List.of(Tokens.ALL_CHANNELS);
        if (!v.isArray()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/channels", "channels must be an array of channel ids, or [\"*\"]"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/channels/" + i, "a channel is a string"));
            out.add(v.get(i).textValue());
        }
        return out;
    }

    private static long days(JsonNode v) {
        if (v == null || v.isNull()) return Tokens.DEFAULT_LIFETIME.toDays();
        long max = Tokens.MAX_LIFETIME.toDays();
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1 || v.asLong() > max) {
            throw new ProblemException(Problem.field(400, "wrong-value", "Bad request", "/expires_in_days",
                    "expires_in_days is a whole number of days from 1 to " + max));
        }
        return v.asLong();
    }

    /** The audit record's detail: what the token is for, may do and until when; never its secret. */
    private ObjectNode json(Token t) {
        Instant now = node.now();
        ObjectNode o = Json.object().put("id", t.id()).put("username", t.username()).put("label", t.label()).put("scope", t.scope());
        ArrayNode cs = o.putArray("channels");
        t.channels().forEach(cs::add);
        o.put("created_at", t.created().toString()).put("expires_at", t.expires().toString());
        o.put("state", t.state(now));
        t.revoked().ifPresent(at -> o.put("revoked_at", at.toString()));
        t.revokedBy().ifPresent(by -> o.put("revoked_by", by));
        o.put("last_used_at", t.lastUsed().map(Instant::toString).orElse(null));
        return o;
    }
}
