package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.identity.SigningKey;
import io.parley.store.Database;
import io.parley.store.NonceStore;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;

/** Signed peer requests: the RFC 9421 shape, bound to one target, once, across instances sharing a database. */
class PeerRequestAuthTest {
    @TempDir Path tmp;
    private final SigningKey peer = SigningKey.generate("cert-b.example");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T04:00:00Z"));
    private static final String TARGET = "http://node-a.example:8441/federation/v1/channels/ch%201/envelopes?from=cert-c.example&after=0";

    private PeerRequestAuth verifier(Database db, String baseUrl) {
        return new PeerRequestAuth(o -> o.equals(peer.name()) ? Optional.of(peer.verifierKey()) : Optional.empty(), new NonceStore(db), () -> baseUrl, clock);
    }

    private static Map<String, String> headers(HttpRequest.Builder b) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.uri(URI.create(TARGET)).build().headers().map().forEach((k, v) -> out.put(k, v.getFirst()));
        return out;
    }

    private Map<String, String> signed(String method, byte[] body) {
        return headers(PeerRequestAuth.sign(HttpRequest.newBuilder(), method, URI.create(TARGET), body, peer, clock.instant()));
    }

    private static PeerRequestAuth.Outcome check(PeerRequestAuth v, String method, byte[] body, Map<String, String> h) {
        URI u = URI.create(TARGET);
        return v.verify(method, u.getRawPath(), u.getRawQuery(), body, h::get);
    }

    @Test
    void signatureBaseFollowsRfc9421() {
        Map<String, String> h = signed("GET", new byte[0]);
        assertTrue(h.get("Signature-Input").matches("parley=\\(\"@method\" \"@authority\" \"@path\" \"@query\"\\);created=\\d+;expires=\\d+;"
                + "nonce=\"[A-Za-z0-9_-]{22}\";keyid=\"cert-b.example\";alg=\"ed25519\";tag=\"parley-peer/v2\""), h.get("Signature-Input"));
        assertTrue(h.get("Signature").matches("parley=:[A-Za-z0-9+/]{86}==:"), h.get("Signature"));
        assertNull(h.get("Content-Digest"), "no body, no digest");
        Map<String, String> withBody = signed("POST", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertTrue(withBody.get("Signature-Input").startsWith("parley=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\");"));
        assertEquals("sha-256=:" + java.util.Base64.getEncoder().encodeToString(io.parley.identity.Sha256.hash("{\"a\":1}".getBytes(StandardCharsets.UTF_8))) + ":",
                withBody.get("Content-Digest"));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aRequestIsAdmittedOnceEvenAcrossInstancesSharingTheDatabase(String backend) {
        String url = TestDatabases.freshUrl(backend, tmp);
        try (Database one = Database.open(url); Database two = Database.open(url)) {
            PeerRequestAuth first = verifier(one, "http://node-a.example:8441");
            PeerRequestAuth second = verifier(two, "http://NODE-A.example:8441/");
            Map<String, String> h = signed("GET", new byte[0]);
            assertInstanceOf(PeerRequestAuth.Outcome.Authenticated.class, check(first, "GET", new byte[0], h));
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(second, "GET", new byte[0], h), "the other instance saw it too");
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(first, "GET", new byte[0], h));

            // Nonces are kept until the request could no longer be accepted anyway, then pruned.
            assertEquals(1, new NonceStore(one).count());
            clock.advance(PeerRequestAuth.VALIDITY.plus(PeerRequestAuth.SKEW).plus(Duration.ofMinutes(1)));
            Map<String, String> later = signed("GET", new byte[0]);
            assertInstanceOf(PeerRequestAuth.Outcome.Authenticated.class, check(second, "GET", new byte[0], later));
            assertEquals(1, new NonceStore(one).count(), "the old nonce was pruned, the new one kept");
        }
    }

    @Test
    void anythingButTheSignedRequestIsRefused() {
        try (Database db = Database.open(TestDatabases.freshUrl(TestDatabases.SQLITE, tmp))) {
            PeerRequestAuth a = verifier(db, "http://node-a.example:8441");
            PeerRequestAuth c = verifier(db, "http://node-c.example:8441");
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> h = signed("POST", body);
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(c, "POST", body, h), "another node");
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(a, "POST", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), h), "other body");
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(a, "PUT", body, h), "other method");
            Map<String, String> padded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            padded.putAll(h);
            padded.put("Signature", h.get("Signature").replace("==:", ":"));
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(a, "POST", body, padded), "non-canonical base64");
            Map<String, String> unknown = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            unknown.putAll(headers(PeerRequestAuth.sign(HttpRequest.newBuilder(), "POST", URI.create(TARGET), body, SigningKey.generate("cert-b.example"), clock.instant())));
            assertInstanceOf(PeerRequestAuth.Outcome.Refused.class, check(a, "POST", body, unknown), "a key we did not pin, under a pinned name");
            assertInstanceOf(PeerRequestAuth.Outcome.Authenticated.class, check(a, "POST", body, h), "and the genuine one, once");
        }
    }
}
