package io.parley.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that the UI's forms carry, so that another site cannot make a signed-in browser post to this node (the
 * browser sends Basic credentials with any request). A token is the HMAC-SHA256 of the user name under a secret drawn
 * at start: valid for that user until the process restarts, useless to anyone who cannot read our pages.
 */
final class Csrf {
    static final String FIELD = "csrf";
    private final SecretKeySpec key;

    Csrf() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String token(String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(("parley-ui-csrf\n" + user).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    boolean valid(String user, String token) {
        if (token == null || token.isEmpty()) return false;
        return MessageDigest.isEqual(token(user).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }
}
