package io.parley.api;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;
import io.parley.json.Json;
import io.parley.json.MalformedJsonException;

/** Reading and checking request input, turning each fault into a problem that names the field. */
public final class Requests {
    private Requests() {}

    /** The body as JSON; requires a JSON content type and a well-formed, non-empty body. */
    public static JsonNode jsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !(type.startsWith("application/json") || type.matches("application/[a-z0-9.+-]*\\+json.*"))) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as application/json (got " + (type == null ? "no Content-Type" : type) + ")"));
        }
        byte[] body = RequestBodies.read(ctx);
        if (body.length == 0) throw ProblemException.badRequest("empty-body", "the request body is empty; a JSON document is expected");
        try {
            return Json.parse(body);
        } catch (MalformedJsonException e) {
            throw ProblemException.badRequest("malformed-json", "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static ObjectNode jsonObject(Context ctx) {
        JsonNode node = jsonBody(ctx);
        if (!node.isObject()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "", "the body must be a JSON object"));
        return (ObjectNode) node;
    }

    static String requiredText(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) throw new ProblemException(Problem.field(400, "missing-field", "Bad request", "/" + name, name + " is required"));
        if (!v.isTextual()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/" + name, name + " must be a string"));
        return v.textValue();
    }

    static Optional<String> optionalText(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/" + name, name + " must be a string"));
        return Optional.of(v.textValue());
    }

    static long longQuery(Context ctx, String name, long fallback, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("bad-query-parameter", "query parameter '" + name + "' must be an integer from " + min + " to " + max);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
