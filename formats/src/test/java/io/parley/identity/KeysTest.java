package io.parley.identity;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

    @Test
    void signatureVerifiesAndAFlippedByteDoesNot() {
        SigningKey key = SigningKey.generate("cert-a.example");
        byte[] msg = "hello hotline".getBytes(StandardCharsets.UTF_8);
        byte[] sig = key.sign(msg);
        assertTrue(key.verifierKey().verify(msg, sig));
        for (int i = 0; i < sig.length; i++) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertFalse(key.verifierKey().verify(msg, bad), "flipped signature byte " + i);
        }
        byte[] badMsg = msg.clone();
        badMsg[3] ^= 0x20;
        assertFalse(key.verifierKey().verify(badMsg, sig));
        assertFalse(SigningKey.generate("cert-a.example").verifierKey().verify(msg, sig), "another key must not verify");
    }

    @Test
    void verifierKeyRoundTripsAndKeyIdFollowsTheC2spRule() throws Exception {
        SigningKey key = SigningKey.generate("cert-a.example/parley");
        VerifierKey vk = key.verifierKey();
        String text = vk.encoded();
        assertEquals(vk, VerifierKey.parse(text));
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("cert-a.example/parley".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update((byte) 0x01);
        sha.update(vk.publicKey());
        assertArrayEquals(java.util.Arrays.copyOf(sha.digest(), 4), vk.keyId());
        assertTrue(text.startsWith("cert-a.example/parley+" + vk.keyIdHex() + "+"));
        byte[] raw = Base64.getDecoder().decode(text.split("\\+", 3)[2]);
        assertEquals(33, raw.length);
        assertEquals(1, raw[0]);
    }

    @Test
    void parsingRefusesAKeyIdThatDoesNotMatchTheKey() {
        String text = SigningKey.generate("a.example").verifierKey().encoded();
        String[] p = text.split("\\+", 3);
        String forged = p[0] + "+00000000+" + p[2];
        var e = assertThrows(IllegalArgumentException.class, () -> VerifierKey.parse(forged));
        assertTrue(e.getMessage().contains("does not match"));
        assertThrows(IllegalArgumentException.class, () -> VerifierKey.parse("name+abcd"));
        assertThrows(IllegalArgumentException.class, () -> VerifierKey.parse("name+00000000+!!!"));
    }

    @Test
    void namesWithSpacesOrPlusAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SigningKey.generate("cert a"));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.generate("cert+a"));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.generate(""));
    }

    @Test
    void privateKeyFileIsOwnerOnlyAndRoundTrips(@TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.generate("cert-b.example");
        Path file = dir.resolve("log.key");
        KeyFiles.write(file, key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SigningKey back = KeyFiles.read(file);
        assertEquals(key.verifierKey(), back.verifierKey());
        byte[] msg = {1, 2, 3};
        assertTrue(key.verifierKey().verify(msg, back.sign(msg)));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> KeyFiles.write(file, key));
    }

    @Test
    void readingAKeyFileOthersCanReadIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.key");
        KeyFiles.write(file, SigningKey.generate("cert-b.example"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(java.io.IOException.class, () -> KeyFiles.read(file));
        assertTrue(e.getMessage().contains("chmod 600"));
    }

    @Test
    void partyCardSignatureCoversEveryField() {
        SigningKey key = SigningKey.generate("cert-a.example");
        PartyCard unsigned = new PartyCard("cert-a.example", "CERT-A", "CERT", "XA", key.verifierKey(), "http://127.0.0.1:1",
                java.util.List.of(new PartyCard.Contact("duty officer", "Desk", "duty@cert-a.example", null, "24/7", java.util.List.of("en"))),
                "2026-01-01T00:00:00Z", null, null, null, null, "ab".repeat(32), null);
        PartyCard card = PartyCard.sign(unsigned, key);
        assertTrue(card.verifies());
        PartyCard parsed = PartyCard.fromJson(io.parley.json.Json.parse(io.parley.json.Json.write(card.toJson())));
        assertTrue(parsed.verifies());
        var tampered = card.toJson().put("display_name", "CERT-Evil");
        assertFalse(PartyCard.fromJson(tampered).verifies());
        assertFalse(PartyCard.fromJson(card.toJson().put("tls_cert_sha256", "cd".repeat(32))).verifies(), "the TLS pin is signed too");
        assertEquals(key.verifierKey().fingerprint(), card.fingerprint());
        assertTrue(card.fingerprint().startsWith("SHA256:"));
    }
}
