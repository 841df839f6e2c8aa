package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * TAXII {@code next} values: an opaque token naming the keyset position {@code (date_added, id)} of the last object a
 * page returned. The client sends it back with the same filters; the next page starts strictly after that position,
 * so objects added meanwhile (always later) are neither skipped nor repeated.
 */
final class Cursors {
    private static final String PREFIX = "p1.";

    private Cursors() {}

    static String encode(TaxiiStore.Cursor c) {
        String raw = PREFIX + Long.toString(c.dateAdded(), 36) + "." + Long.toString(c.id(), 36);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<TaxiiStore.Cursor> decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.US_ASCII);
            if (!raw.startsWith(PREFIX)) return Optional.empty();
            String[] parts = raw.substring(PREFIX.length()).split("\\.");
            if (parts.length != 2) return Optional.empty();
            return Optional.of(new TaxiiStore.Cursor(Long.parseLong(parts[0], 36), Long.parseLong(parts[1], 36)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
