package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.json.Jcs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;

/**
 * STIX 2.1 identifiers ({@code type--uuid}, STIX 2.1 §2.9) and the deterministic UUIDv5 ids the spec recommends for
 * SCOs, so that two CERTs describing the same IP address produce the same object id and correlate for free.
 */
public final class StixIds {
    /** STIX 2.1 §2.9: the namespace UUID for deterministic SCO identifiers. */
    public static final UUID SCO_NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");

    /**
     * Parley's own namespace for the ids it derives (e.g. a report for a MISP event), so re-importing the same event
     * yields the same bundle. A random-looking constant; its only job is not to collide with other namespaces.
     */
    static final UUID PARLEY_NAMESPACE = UUID.fromString("6f0c2e8a-3b7d-5c1e-9a4f-2d8b7e1c0a93");

    private StixIds() {}

    /** The type part of {@code type--uuid}, or empty when the string has no {@code --}. */
    public static Optional<String> typeOf(String id) {
        int sep = id == null ? -1 : id.indexOf("--");
        return sep <= 0 ? Optional.empty() : Optional.of(id.substring(0, sep));
    }

    /** True for {@code type--uuid} with a syntactically valid type name and an RFC 4122 UUID. */
    public static boolean isIdentifier(String id) {
        int sep = id == null ? -1 : id.indexOf("--");
        return sep > 0 && isTypeName(id, sep) && isUuid(id.substring(sep + 2));
    }

    static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** STIX 2.1 §3.1 type names ({@code [a-z][a-z0-9]*(-[a-z0-9]+)*}) for {@code id[0, end)}. */
    private static boolean isTypeName(String id, int end) {
        char first = id.charAt(0);
        if (first < 'a' || first > 'z' || id.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && id.charAt(i - 1) != '-');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 4122 text form as the official {@code identifier.json} schema accepts it
     * ({@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}}): version
     * nibble 1-5, variant 10xx. Hex is accepted in either case because the official examples themselves contain an
     * upper-case digit ({@code relationship--81f12913-1372-4c96-85ec-E9034ac98aba}); RFC 4122 §3 says input is
     * case-insensitive. Hand-written rather than a regex because it runs for every id and every reference.
     */
    static boolean isUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        char version = text.charAt(14);
        char variant = Character.toLowerCase(text.charAt(19));
        return version >= '1' && version <= '5' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
    }

    /** The UUID part, lower-cased, when {@code id} is a well-formed identifier. */
    static Optional<String> uuidOf(String id) {
        return isIdentifier(id) ? Optional.of(id.substring(id.indexOf("--") + 2).toLowerCase(java.util.Locale.ROOT))
                : Optional.empty();
    }

    /** A fresh random (version 4) identifier, the SHOULD of STIX 2.1 §2.9 for SDOs and SROs. */
    public static String random(String type) {
        return type + "--" + UUID.randomUUID();
    }

    /**
     * The deterministic SCO id of STIX 2.1 §2.9: UUIDv5 in {@link #SCO_NAMESPACE} over the RFC 8785 canonical JSON of
     * the object's ID-contributing properties (e.g. {@code {"value":"198.51.100.3"}} for an {@code ipv4-addr}).
     */
    public static String scoId(String type, JsonNode contributingProperties) {
        return type + "--" + uuid5(SCO_NAMESPACE, Jcs.canonicalize(contributingProperties));
    }

    /**
     * The id of an SCO that has no deterministic id (§6: none of its ID-contributing properties is present, so it must
     * carry a UUIDv4): version 4 in form, its bits drawn from SHA-256 over the canonical JSON of every property set
     * rather than from a random source. RFC 4122 §4.4 allows pseudo-random bits; drawing them from the content keeps an
     * import deterministic (the same MISP event gives the same bundle and SHA-256) and keeps two different objects apart.
     */
    static String contentV4(String type, JsonNode properties) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(Jcs.canonicalize(properties));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        return type + "--" + fromHash(hash, 4);
    }

    /** A deterministic Parley-derived id: UUIDv5 over {@code name} in Parley's namespace. */
    static String derived(String type, String name) {
        return type + "--" + uuid5(PARLEY_NAMESPACE, name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RFC 4122 §4.3 name-based UUID, version 5 (SHA-1): the one implementation behind every fixed-namespace id Parley
     * derives (STIX ids here, TAXII collection ids, MISP feed event uuids).
     */
    public static UUID uuid5(UUID namespace, byte[] name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16);
        ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        return fromHash(sha1.digest(name), 5);
    }

    /** An RFC 4122 UUID of {@code version} from the first 16 bytes of {@code hash}, its version and variant bits set. */
    private static UUID fromHash(byte[] hash, int version) {
        hash[6] = (byte) ((hash[6] & 0x0f) | (version << 4));
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 4122 variant
        ByteBuffer bb = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
