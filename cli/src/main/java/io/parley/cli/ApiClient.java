package io.parley.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.json.Json;

/** A small client of a node's {@code /api/v1/}: turns problem+json answers into one-line errors. */
final class ApiClient {
    private final HttpClient http;
    private final String base;
    private final String authorization;

    ApiClient(String base, String user, String password) {
        this(base, user, password, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)));
    }

    ApiClient(String base, String user, String password, HttpClient.Builder http) {
        this(base, user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8)), http);
    }

    /** A client sending {@code authorization} (an Authorization header value, or null for none). */
    ApiClient(String base, String authorization, HttpClient.Builder http) {
        this.http = http.build();
        if (!base.startsWith("http://") && !base.startsWith("https://")) throw new IllegalArgumentException("--url must start with http:// or https://");
        this.base = base.replaceAll("/+$", "");
        this.authorization = authorization;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build());
    }

    /** DELETE, sent as JSON like every state-changing API call (the node refuses other content types). */
    JsonNode delete(String path) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL " + base + path);
        }
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    /** A text answer (CSV) as UTF-8; a problem answer is an IOException of one line, as for JSON. */
    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> res = exchange(request(path).GET().build());
        if (res.statusCode() >= 400) {
            JsonNode problem;
            try {
                problem = Json.parse(res.body());
            } catch (IllegalArgumentException e) {
                problem = Json.object();
            }
            throw new IOException(problemLine(problem, res.statusCode()));
        }
        return res.body();
    }

    private HttpResponse<String> exchange(HttpRequest req) throws IOException, InterruptedException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8)); // our API is UTF-8 whatever the header says
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + base + " (is the node running?)");
        }
    }

    private JsonNode send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> res = exchange(req);
        JsonNode body;
        try {
            body = res.body().isEmpty() ? Json.object() : Json.parse(res.body());
        } catch (IllegalArgumentException e) {
            throw new IOException("unexpected answer from " + base + " (HTTP " + res.statusCode() + ")");
        }
        if (res.statusCode() >= 400) throw new IOException(problemLine(body, res.statusCode()));
        return body;
    }

    /**
     * One line for a problem+json answer: its detail, plus each {@code errors[]} entry the detail does not already
     * say. A detail such as "1 fault; see errors" names no fault itself, and a CLI user cannot see the body.
     */
    static String problemLine(JsonNode body, int status) {
        StringBuilder line = new StringBuilder(body.path("detail").asText(body.path("title").asText("HTTP " + status)));
        java.util.List<String> faults = new java.util.ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            String fault = e.path("detail").asText("");
            if (fault.isEmpty() || line.indexOf(fault) >= 0) continue;
            String pointer = e.path("pointer").asText("");
            faults.add(pointer.isEmpty() ? fault : pointer + ": " + fault);
        }
        if (!faults.isEmpty()) line.append(": ").append(String.join("; ", faults));
        return line.append(" (HTTP ").append(status).append(")").toString().replaceAll("[\\r\\n]+", " ");
    }
}
