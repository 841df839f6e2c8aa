package io.parley.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.parley.fuzz.FuzzBudget;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

/**
 * A hostile peer's inbox body (POST /federation/v1/inbox), read the way FederationRoutes reads it: the body through
 * the edge's JSON reader (IllegalArgumentException = 400), then each item judged as a withheld notice or an envelope.
 * Contract: {@link Envelope#fromJson} and {@link WithheldNotice#fromJson} accept or throw
 * {@link EnvelopeFormatException}, nothing else; what they accept can be hashed, verified and written without failing.
 * Round trips: an accepted envelope re-read from its canonical bytes is the same envelope (same id, same signing
 * bytes, same verdict under the sender's key), and one re-signed by the fuzz key verifies.
 */
class EnvelopeFuzzTest {
    /** The sender of the corpus's signed envelopes: its signatures verify, so verification succeeds as well as fails. */
    static final SigningKey SENDER = FuzzBudget.key("cert-a.example");

    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void inboxBody(byte[] input) {
        JsonNode body;
        try {
            body = Json.parse(input);
        } catch (IllegalArgumentException notJson) {
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isObject() && !body.has("envelopes")) {
            items.add(body);
        } else {
            JsonNode batch = body.isArray() ? body : body.get("envelopes");
            if (batch == null || !batch.isArray()) return;
            batch.forEach(items::add);
        }
        for (JsonNode item : items) {
            if (WithheldNotice.isNotice(item)) notice(item);
            else envelope(item);
        }
    }

    private static void envelope(JsonNode json) {
        Envelope e;
        try {
            e = Envelope.fromJson(json);
        } catch (EnvelopeFormatException refused) {
            Json.write(json); // the refusal is recorded with the raw item
            return;
        }
        boolean verified = EnvelopeSigner.verify(e, SENDER.verifierKey());
        e.createdAt();
        Envelope again = Envelope.fromJson(Json.parse(e.canonicalBytes()));
        assertEquals(e.hash(), again.hash(), "re-reading the canonical form changed the envelope id");
        assertArrayEquals(e.signingBytes(), again.signingBytes());
        assertEquals(verified, EnvelopeSigner.verify(again, SENDER.verifierKey()));
        if (e.from().equals(SENDER.name())) {
            Envelope resigned = EnvelopeSigner.sign(e.withSig(null), SENDER);
            assertTrue(EnvelopeSigner.verify(Envelope.fromJson(Json.parse(resigned.canonicalBytes())), SENDER.verifierKey()),
                    "a freshly signed envelope does not verify after a round trip");
        }
    }

    private static void notice(JsonNode json) {
        WithheldNotice n;
        try {
            n = WithheldNotice.fromJson(json);
        } catch (EnvelopeFormatException refused) {
            Json.write(json);
            return;
        }
        boolean verified = n.verify(SENDER.verifierKey());
        n.hashBytes();
        WithheldNotice again = WithheldNotice.fromJson(Json.parse(n.canonical()));
        assertEquals(n, again, "re-reading the canonical form changed the notice");
        assertEquals(n.noticeHash(), again.noticeHash());
        assertEquals(verified, again.verify(SENDER.verifierKey()));
    }
}
