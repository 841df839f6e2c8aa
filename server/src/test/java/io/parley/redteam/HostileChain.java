package io.parley.redteam;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;

/**
 * A chain the test writes by hand in one channel with a key it holds (the hostile node's, or one it made up): each
 * {@link #next} extends the previous envelope, so several crafted envelopes can be sent in a row. Starts after what
 * the hostile node itself stored in the channel, and never writes through that node.
 */
final class HostileChain {
    private final SigningKey key;
    private final String channel;
    private long seq;
    private String prev;

    private HostileChain(SigningKey key, String channel, long seq, String prev) {
        this.key = key;
        this.channel = channel;
        this.seq = seq;
        this.prev = prev;
    }

    /** Continues {@code node}'s own chain in {@code channel}, signing with its private key. */
    static HostileChain of(NodeServer node, String channel) throws Exception {
        var head = node.node().envelopes().head(channel, node.node().origin());
        return new HostileChain(HostileNetwork.keyOf(node), channel, head.map(h -> h.seq()).orElse(0L), head.map(h -> h.hash()).orElse(null));
    }

    /** A fresh chain under any key (e.g. one a member made up for another party). */
    static HostileChain fresh(SigningKey key, String channel) {
        return new HostileChain(key, channel, 0, null);
    }

    Envelope next(Kind kind, String caseId, Tlp tlp, ObjectNode body) {
        return next(kind, caseId, tlp, body, Instant.now());
    }

    /** The next envelope, dated {@code created} whatever the time is (a member's clock is its own word). */
    Envelope next(Kind kind, String caseId, Tlp tlp, ObjectNode body, Instant created) {
        Envelope draft = new Envelope(1, channel, key.name(), seq + 1, prev, kind, caseId,
                created.truncatedTo(ChronoUnit.MILLIS).toString(), Priority.FLASH, tlp, body, null);
        Envelope signed = EnvelopeSigner.sign(draft, key);
        seq = signed.seq();
        prev = signed.hash();
        return signed;
    }

    /** Posts {@code e} to {@code to}'s federation inbox as anyone can; returns the parsed answer. */
    static JsonNode deliver(NodeServer to, Envelope e) throws Exception {
        HttpResponse<String> res = HostileNetwork.rawPost(to, "/federation/v1/inbox", "application/json", e.canonicalBytes());
        return Json.parse(res.body());
    }
}
