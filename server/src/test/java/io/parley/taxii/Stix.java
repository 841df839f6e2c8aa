package io.parley.taxii;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.WellKnownMarkings;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** STIX builders and a small HTTP client for the evidence and TAXII tests. */
final class Stix {
    static final String TAXII = "application/taxii+json;version=2.1";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private Stix() {}

    static String ts(Instant t) {
        return io.parley.evidence.StixTime.format(t);
    }

    /** An indicator for {@code ip}, marked {@code tlp} (null: unmarked). */
    static ObjectNode indicator(String id, Instant modified, Tlp tlp, String ip) {
        ObjectNode o = Json.object();
        o.put("type", "indicator");
        o.put("spec_version", "2.1");
        o.put("id", id);
        o.put("created", ts(Instant.parse("2024-01-01T00:00:00Z")));
        o.put("modified", ts(modified));
        o.put("name", "C2 " + ip);
        o.putArray("indicator_types").add("malicious-activity");
        o.put("pattern", "[ipv4-addr:value = '" + ip + "']");
        o.put("pattern_type", "stix");
        o.put("valid_from", ts(Instant.parse("2024-01-01T00:00:00Z")));
        if (tlp != null) o.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    static ObjectNode indicator(Tlp tlp, String ip) {
        return indicator("indicator--" + UUID.randomUUID(), Instant.parse("2024-01-02T00:00:00Z"), tlp, ip);
    }

    /** An ipv4-addr SCO (no created/modified: its TAXII version is its date_added). */
    static ObjectNode ipv4(String ip, Tlp tlp) {
        ObjectNode o = Json.object();
        o.put("type", "ipv4-addr");
        o.put("spec_version", "2.1");
        o.put("id", io.parley.evidence.StixIds.scoId("ipv4-addr", Json.object().put("value", ip)));
        o.put("value", ip);
        if (tlp != null) o.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    static ObjectNode bundle(ObjectNode... objects) {
        return bundle(List.of(objects));
    }

    static ObjectNode bundle(List<ObjectNode> objects) {
        ObjectNode b = Json.object();
        b.put("type", "bundle");
        b.put("id", "bundle--" + UUID.randomUUID());
        ArrayNode arr = b.putArray("objects");
        objects.forEach(arr::add);
        return b;
    }

    // --- HTTP -------------------------------------------------------------------------------------------------------

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String duty() {
        return basic(TestNodes.USER, TestNodes.PASSWORD);
    }

    static HttpResponse<String> get(NodeServer n, String path, String accept, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).GET();
        if (accept != null) b.header("Accept", accept);
        if (auth != null) b.header("Authorization", auth);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> taxii(NodeServer n, String path) throws IOException, InterruptedException {
        return get(n, path, TAXII, duty());
    }

    static HttpResponse<String> post(NodeServer n, String path, String contentType, String body, String auth)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).header("Accept", TAXII + ", application/json");
        if (auth != null) b.header("Authorization", auth);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(NodeServer n, String path, String body, String auth) throws IOException, InterruptedException {
        return post(n, path, "application/json", body, auth);
    }
}
