package io.parley.redteam;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.evidence.WellKnownMarkings;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** STIX material and probes for the evidence red-team tests (HostileNetwork stays untouched). */
final class EvidenceAttacks {
    private EvidenceAttacks() {}

    /** A STIX 2.1 indicator with {@code pattern}, marked {@code tlp} (null: unmarked). */
    static ObjectNode indicator(Tlp tlp, String pattern) {
        ObjectNode o = Json.object();
        o.put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + UUID.randomUUID());
        o.put("created", "2024-01-01T00:00:00.000Z").put("modified", "2024-01-02T00:00:00.000Z");
        o.put("name", "red-team indicator");
        o.putArray("indicator_types").add("malicious-activity");
        o.put("pattern", pattern).put("pattern_type", "stix").put("valid_from", "2024-01-01T00:00:00.000Z");
        if (tlp != null) o.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    /** An indicator for one IPv4 address. */
    static ObjectNode ipIndicator(Tlp tlp, String ip) {
        return indicator(tlp, "[ipv4-addr:value = '" + ip + "']");
    }

    static ObjectNode bundle(ObjectNode... objects) {
        ObjectNode b = Json.object();
        b.put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        ArrayNode arr = b.putArray("objects");
        List.of(objects).forEach(arr::add);
        return b;
    }

    /** A body with a text and an inline bundle. */
    static ObjectNode inline(String text, ObjectNode bundle) {
        ObjectNode body = Json.object().put("summary", text).put("text", text).put("lang", "en");
        body.set("stix", bundle);
        return body;
    }

    /** Posts {@code e} to {@code to}'s federation inbox, unauthenticated, as any peer's outbox does. */
    static HttpResponse<String> deliver(NodeServer to, Envelope e) throws Exception {
        return HostileNetwork.rawPost(to, "/federation/v1/inbox", "application/json", Json.write(e.toJson()).getBytes(StandardCharsets.UTF_8));
    }

    /** Crafts and delivers an envelope from the hostile node to {@code to}; {@code evil}'s own store is not touched. */
    static HttpResponse<String> evilSends(HostileNetwork net, NodeServer to, String channel, Tlp tlp, ObjectNode body) throws Exception {
        return deliver(to, HostileNetwork.craft(net.evil, channel, Kind.NOTIFY, null, tlp, body));
    }

    /** The hostile node's chain in one channel, advanced by hand as crafted envelopes are accepted by a victim. */
    static final class EvilChain {
        private final HostileNetwork net;
        private final String channel;
        private long seq;
        private String prev;

        EvilChain(HostileNetwork net, String channel) {
            this.net = net;
            this.channel = channel;
            var head = net.evil.node().envelopes().head(channel, HostileNetwork.EVIL);
            this.seq = head.map(h -> h.seq()).orElse(0L);
            this.prev = head.map(h -> h.hash()).orElse(null);
        }

        /** Signs the next envelope of the chain with the hostile node's key. */
        Envelope next(Kind kind, Tlp tlp, ObjectNode body) throws Exception {
            Envelope draft = new Envelope(Envelope.VERSION, channel, HostileNetwork.EVIL, seq + 1, prev, kind, null,
                    java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(), Priority.ROUTINE, tlp, body, null);
            return EnvelopeSigner.sign(draft, HostileNetwork.keyOf(net.evil));
        }

        /** Delivers the next envelope to {@code to}; the chain advances when it was accepted. */
        HttpResponse<String> send(NodeServer to, Tlp tlp, ObjectNode body) throws Exception {
            Envelope e = next(Kind.NOTIFY, tlp, body);
            HttpResponse<String> res = deliver(to, e);
            if (res.statusCode() == 201) {
                seq = e.seq();
                prev = e.hash();
            }
            return res;
        }
    }

    /** True when {@code node} indexed {@code value} for correlation (from any envelope or upload). */
    static boolean indexed(NodeServer node, String value) {
        return !node.node().db().query("SELECT value FROM observables WHERE value = ?", rs -> rs.getString(1), value).isEmpty();
    }

    /** True when {@code node} holds a STIX object naming {@code value} in any TAXII collection. */
    static boolean inTaxii(NodeServer node, String value) {
        return !node.node().db().query("SELECT id FROM stix_objects WHERE object LIKE ?", rs -> rs.getLong(1), "%" + value + "%").isEmpty();
    }

    /** Posts JSON through {@code node}'s API as the test account. */
    static HttpResponse<String> api(NodeServer node, String path, ObjectNode json) throws Exception {
        return TestNodes.post(node, path, Json.write(json));
    }

    /** The problem type's last segment (e.g. {@code evidence-refused}), or "" when the answer is not a problem. */
    static String problemCode(HttpResponse<String> res) {
        String type = Json.parse(res.body()).path("type").asText("");
        return type.substring(type.lastIndexOf('/') + 1);
    }
}
