package io.parley.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an {@code Authorization} header presents, read once for the API and TAXII: HTTP Basic (RFC 7617), a bearer
 * token (RFC 6750), nothing, or something malformed. Parsing never throws, so no header a client sends can become a
 * 500; a malformed one is a 401 like a wrong password.
 */
public sealed interface Credentials {
    /** Longest header considered; Jetty caps all headers at 8 KiB anyway. */
    int MAX_HEADER = 4096;

    record None() implements Credentials {}

    record Basic(String username, String password) implements Credentials {}

    record Bearer(String secret) implements Credentials {}

    /** {@code reason} says what is wrong with the header, without repeating it. */
    record Malformed(String reason) implements Credentials {}

    static Credentials parse(String header) {
        if (header == null || header.isBlank()) return new None();
        if (header.length() > MAX_HEADER) return new Malformed("the Authorization header is too long");
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (value.isEmpty() || value.contains(" ")) return new Malformed("Authorization: Bearer needs exactly one token");
            return new Bearer(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Malformed("Authorization: Basic needs base64 of user:password");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) return new Malformed("Authorization: Basic needs base64 of user:password");
            return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        return new Malformed("unsupported Authorization scheme; use Basic or Bearer");
    }
}
