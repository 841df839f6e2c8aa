package io.parley.envelope;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.SigningKey;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.testing.Fixtures;

class EnvelopeTest {
    private final SigningKey key = SigningKey.generate("cert-a.example");

    @Test
    void signedEnvelopeVerifiesAfterAWireRoundTrip() {
        Envelope e = Fixtures.envelope(key, "ch-1", 1, null, Tlp.AMBER, "hello");
        assertTrue(EnvelopeSigner.verify(e, key.verifierKey()));
        Envelope back = Envelope.fromJson(Json.parse(Json.write(e.toJson())));
        assertEquals(e, back);
        assertTrue(EnvelopeSigner.verify(back, key.verifierKey()));
        assertEquals(e.hash(), back.hash());
    }

    @Test
    void signatureCoversTheCanonicalFormWithoutSig() {
        Envelope e = Fixtures.envelope(key, "ch-1", 1, null, Tlp.GREEN, "x");
        ObjectNode unsigned = e.toJson();
        unsigned.remove("sig");
        assertTrue(key.verifierKey().verify(Jcs.canonicalize(unsigned), Base64.getDecoder().decode(e.sig())));
        assertEquals(io.parley.identity.Sha256.hex(Jcs.canonicalize(e.toJson())), e.hash());
    }

    @Test
    void flippingAnyByteOfTheSignatureOrChangingAnyMemberBreaksVerification() {
        Envelope e = Fixtures.envelope(key, "ch-1", 2, "a".repeat(64), Tlp.AMBER, "original");
        byte[] sig = e.signatureBytes();
        for (int i = 0; i < sig.length; i++) {
            byte[] bad = sig.clone();
            bad[i] ^= (byte) 0x80;
            assertFalse(EnvelopeSigner.verify(e.withSig(Base64.getEncoder().encodeToString(bad)), key.verifierKey()), "sig byte " + i);
        }
        String[][] edits = {{"channel", "ch-2"}, {"seq", "3"}, {"prev", "b".repeat(64)}, {"kind", "answer"}, {"created", "2026-11-23T10:00:03Z"},
                {"priority", "flash"}, {"tlp", "red"}};
        for (String[] edit : edits) {
            ObjectNode json = e.toJson();
            if (edit[0].equals("seq")) json.put("seq", Long.parseLong(edit[1])); else json.put(edit[0], edit[1]);
            assertFalse(EnvelopeSigner.verify(Envelope.fromJson(json), key.verifierKey()), "edited " + edit[0]);
        }
        ObjectNode json = e.toJson();
        ((ObjectNode) json.get("body")).put("text", "altered");
        assertFalse(EnvelopeSigner.verify(Envelope.fromJson(json), key.verifierKey()), "edited body");
    }

    @Test
    void changingWhatBodyOrToJsonReturnsLeavesTheSignedEnvelopeAsSigned() {
        Envelope e = Fixtures.envelope(key, "ch-1", 2, "a".repeat(64), Tlp.AMBER, "original");
        String hash = e.hash();
        byte[] canonical = e.canonicalBytes();
        e.body().put("text", "altered").putArray("extra").add(1);
        e.body().removeAll();
        ((ObjectNode) e.toJson().get("body")).put("text", "altered");
        assertEquals(hash, e.hash());
        assertArrayEquals(canonical, e.canonicalBytes());
        assertTrue(EnvelopeSigner.verify(e, key.verifierKey()), "the signature still verifies");
        assertEquals("original", e.body().path("text").asText());
    }

    @Test
    void theBodyGivenToADraftIsCopiedSoChangingItLaterChangesNothingSigned() {
        ObjectNode body = Json.object().put("text", "original");
        body.putObject("nested").putArray("list").add("a");
        Envelope draft = new Envelope(1, "ch-1", key.name(), 1, null, Kind.NOTIFY, null, "2026-11-23T10:00:00Z", Priority.URGENT, Tlp.GREEN, body, null);
        Envelope signed = EnvelopeSigner.sign(draft, key);
        String hash = signed.hash();
        body.put("text", "altered");
        ((ArrayNode) body.get("nested").get("list")).add("b");
        assertEquals(hash, signed.hash());
        assertTrue(EnvelopeSigner.verify(signed, key.verifierKey()));
        assertEquals("original", draft.body().path("text").asText());
        assertEquals(1, signed.body().get("nested").get("list").size(), "nested members are copied too");
    }

    @Test
    void malformedEnvelopesNameTheMemberAtFault() {
        ObjectNode good = Fixtures.envelope(key, "ch-1", 1, null, Tlp.GREEN, "x").toJson();
        assertField("/v", good.deepCopy().put("v", 2));
        assertField("/seq", good.deepCopy().put("seq", 0));
        assertField("/seq", good.deepCopy().put("seq", "one"));
        assertField("/prev", good.deepCopy().put("prev", "a".repeat(64)));
        assertField("/kind", good.deepCopy().put("kind", "gossip"));
        assertField("/tlp", good.deepCopy().put("tlp", "white"));
        assertField("/priority", good.deepCopy().put("priority", "asap"));
        assertField("/created", good.deepCopy().put("created", "yesterday"));
        assertField("/created", good.deepCopy().put("created", "2026-11-23T10:00:00+01:00"));
        assertField("/from", good.deepCopy().put("from", "cert a"));
        assertField("/sig", good.deepCopy().put("sig", "AAAA"));
        assertField("/extra", good.deepCopy().put("extra", 1));
        ObjectNode noBody = good.deepCopy();
        noBody.remove("body");
        assertField("/body", noBody);
        ObjectNode chain = good.deepCopy().put("seq", 2);
        assertField("/prev", chain);
    }

    @Test
    void tlpOrderFollowsRestrictiveness() {
        assertTrue(Tlp.RED.exceeds(Tlp.AMBER));
        assertTrue(Tlp.AMBER_STRICT.exceeds(Tlp.AMBER));
        assertFalse(Tlp.AMBER.exceeds(Tlp.AMBER));
        assertFalse(Tlp.CLEAR.exceeds(Tlp.GREEN));
        assertEquals(Tlp.AMBER_STRICT, Tlp.fromWire("amber+strict").orElseThrow());
    }

    private static void assertField(String field, ObjectNode json) {
        var e = assertThrows(EnvelopeFormatException.class, () -> Envelope.fromJson(json));
        assertEquals(field, e.field(), e.getMessage());
    }
}
