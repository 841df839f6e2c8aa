package io.parley.identity;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/**
 * Item 6: a signature must have one byte form as well as one text form. Bouncy Castle's Ed25519 verify (RFC 8032
 * §5.1.7) must refuse S >= L and non-canonical encodings of R and A, or anyone could mint a second valid signature
 * from a genuine one (S + L) and the envelope id, which hashes the signature, would have two values.
 */
class Ed25519StrictnessTest {
    static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final byte[] MESSAGE = "a genuine statement".getBytes(StandardCharsets.UTF_8);

    static byte[] littleEndian(BigInteger n) {
        byte[] be = n.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) le[i] = be[be.length - 1 - i];
        return le;
    }

    static BigInteger fromLittleEndian(byte[] b, int off) {
        byte[] be = new byte[33];
        for (int i = 0; i < 32; i++) be[32 - i] = b[off + i];
        return new BigInteger(be);
    }

    @Test
    void sPlusLIsRefused() {
        SigningKey key = SigningKey.generate("cert-a.example");
        byte[] sig = key.sign(MESSAGE);
        assertTrue(key.verifierKey().verify(MESSAGE, sig));
        BigInteger s = fromLittleEndian(sig, 32);
        assertTrue(s.compareTo(L) < 0);
        byte[] malleated = sig.clone();
        System.arraycopy(littleEndian(s.add(L)), 0, malleated, 32, 32);
        assertFalse(Arrays.equals(sig, malleated));
        assertFalse(key.verifierKey().verify(MESSAGE, malleated), "S + L verified: signatures are malleable");
        // S + 2L, S + 3L ... still fit 256 bits while below 2^256; all must fail too.
        for (int k = 2; s.add(L.multiply(BigInteger.valueOf(k))).bitLength() <= 256; k++) {
            System.arraycopy(littleEndian(s.add(L.multiply(BigInteger.valueOf(k)))), 0, malleated, 32, 32);
            assertFalse(key.verifierKey().verify(MESSAGE, malleated), "S + " + k + "L verified");
        }
    }

    @Test
    void nonCanonicalPointEncodingsAreRefused() {
        // The identity point (x = 0, y = 1) spelled canonically and as y = p + 1; with S = 0 the verification equation
        // [S]B = R + [k]A holds for any message if R and A both decode to the identity.
        byte[] canonicalIdentity = littleEndian(BigInteger.ONE);
        byte[] nonCanonicalIdentity = littleEndian(P.add(BigInteger.ONE));
        byte[] zero = new byte[32];
        for (byte[] r : new byte[][] {canonicalIdentity, nonCanonicalIdentity}) {
            for (byte[] a : new byte[][] {canonicalIdentity, nonCanonicalIdentity}) {
                byte[] sig = new byte[64];
                System.arraycopy(r, 0, sig, 0, 32);
                System.arraycopy(zero, 0, sig, 32, 32);
                // Such keys never get as far as a verify: VerifierKey refuses them; Bouncy Castle's verify refuses them too.
                assertThrows(IllegalArgumentException.class, () -> new VerifierKey("weak.example", a));
                assertFalse(org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, a, 0, MESSAGE, 0, MESSAGE.length),
                        "a small-order or non-canonical point verified");
            }
        }
    }

    @Test
    void nonCanonicalRFromAGenuineSignatureIsRefused() {
        // R's y is below 2^255 - 19 for almost every point; flipping the sign bit of x on a point whose x is 0 aside,
        // the only other spelling is y + p, which fits 255 bits only when y < 19: build it and check it is refused.
        SigningKey key = SigningKey.generate("cert-a.example");
        byte[] sig = key.sign(MESSAGE);
        byte[] r = Arrays.copyOf(sig, 32);
        BigInteger y = fromLittleEndian(r, 0).clearBit(255);
        BigInteger yp = y.add(P);
        if (yp.bitLength() <= 255) {
            byte[] alt = littleEndian(yp);
            if ((r[31] & 0x80) != 0) alt[31] |= (byte) 0x80;
            byte[] malleated = sig.clone();
            System.arraycopy(alt, 0, malleated, 0, 32);
            assertFalse(key.verifierKey().verify(MESSAGE, malleated));
        }
        // Whatever R is, setting the top bit pattern to a y >= p must never verify.
        byte[] big = sig.clone();
        byte[] tooLarge = littleEndian(P.add(BigInteger.valueOf(5)));
        System.arraycopy(tooLarge, 0, big, 0, 32);
        assertFalse(key.verifierKey().verify(MESSAGE, big));
    }

    @Test
    void nonCanonicalPublicKeyEncodingIsRefused() {
        SigningKey key = SigningKey.generate("cert-a.example");
        byte[] sig = key.sign(MESSAGE);
        byte[] a = key.verifierKey().publicKey();
        BigInteger y = fromLittleEndian(a, 0).clearBit(255);
        // A y >= p spelling of the key itself, where one exists, and an out-of-range y in any case.
        if (y.add(P).bitLength() <= 255) {
            byte[] alt = littleEndian(y.add(P));
            if ((a[31] & 0x80) != 0) alt[31] |= (byte) 0x80;
            assertThrows(IllegalArgumentException.class, () -> new VerifierKey("cert-a.example", alt));
            assertFalse(org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, alt, 0, MESSAGE, 0, MESSAGE.length));
        }
        byte[] outOfRange = littleEndian(P.add(BigInteger.TWO));
        assertThrows(IllegalArgumentException.class, () -> new VerifierKey("cert-a.example", outOfRange));
        assertFalse(org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, outOfRange, 0, MESSAGE, 0, MESSAGE.length));
    }

    @Test
    void canonicalBase64AcceptsOneSpellingOnly() {
        byte[] sig = SigningKey.generate("x.example").sign(MESSAGE);
        String canonical = Base64.getEncoder().encodeToString(sig);
        assertArrayEquals(sig, CanonicalBase64.decode(canonical));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int v = alphabet.indexOf(canonical.charAt(85));
        for (String variant : new String[] {
                canonical.substring(0, 85) + alphabet.charAt(v ^ 1) + "==", canonical.substring(0, 86), canonical.substring(0, 87),
                canonical + "\n", " " + canonical, canonical.substring(0, 40) + "\r\n" + canonical.substring(40),
                Base64.getUrlEncoder().encodeToString(sig).equals(canonical) ? "" : Base64.getUrlEncoder().encodeToString(sig), ""}) {
            assertNull(CanonicalBase64.decode(variant), "accepted '" + variant + "'");
        }
    }
}
