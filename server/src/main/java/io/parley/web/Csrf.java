package io.parley.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token every form of the UI carries, bound to the session: the HMAC-SHA256 of a fixed label keyed with the
 * session id. A page on another site can neither read our pages nor the HttpOnly cookie, so it cannot make the token;
 * the token dies with the session (sign-out, timeout, a new sign-in), and every instance of the node computes the same
 * one without sharing state. The session id itself cannot be recovered from the token.
 */
final class Csrf {
    static final String FIELD = "csrf";

    private Csrf() {}

    static String token(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionId.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            byte[] tag = mac.doFinal("parley-ui-csrf".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    static boolean valid(String sessionId, String token) {
        if (token == null || token.isEmpty()) return false;
        return MessageDigest.isEqual(token(sessionId).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }
}
