package io.parley.api;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;

/**
 * An RFC 9457 problem detail. {@code type} is a URI naming the kind of problem (stable, documented in the OpenAPI
 * document); {@code errors} lists field-level faults as JSON pointers into the request.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://parley.example/problems/";

    /** One fault in the request body, located by a JSON pointer. */
    public record FieldError(String pointer, String detail) {}

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(TYPE_BASE + code, title, status, detail, List.of());
    }

    /** The title of a problem that has no more specific one: the status's reason phrase (RFC 9110 §15). */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> "HTTP " + status;
        };
    }

    public static Problem field(int status, String code, String title, String pointer, String detail) {
        return new Problem(TYPE_BASE + code, title, status, pointer.isEmpty() ? detail : pointer + ": " + detail,
                List.of(new FieldError(pointer, detail)));
    }

    public ObjectNode toJson(String instance) {
        ObjectNode o = Json.object();
        o.put("type", type);
        o.put("title", title);
        o.put("status", status);
        o.put("detail", detail);
        if (instance != null) o.put("instance", instance);
        if (!errors.isEmpty()) {
            ArrayNode es = o.putArray("errors");
            for (FieldError e : errors) es.addObject().put("pointer", e.pointer()).put("detail", e.detail());
        }
        return o;
    }
}
