package io.parley.taxii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * TAXII collection ids: RFC 4122 version 5 UUIDs in a Parley namespace, derived from the channel id (or, for the
 * own-sharing collection, from the node's origin), so a collection keeps its id across restarts and nodes agree on it.
 */
public final class CollectionIds {
    /** Parley's namespace for TAXII collection ids (a fixed random UUID). */
    static final UUID NAMESPACE = UUID.fromString("3c8e7c1a-5b0f-4d57-8f43-1c9e2b6d7a05");

    private CollectionIds() {}

    /** The collection of channel {@code channel}. */
    public static String ofChannel(String channel) {
        return uuid5("channel:" + channel).toString();
    }

    /** The node's own-sharing collection. */
    public static String own(String origin) {
        return uuid5("own:" + origin).toString();
    }

    static UUID uuid5(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer bb = ByteBuffer.wrap(h, 0, 16);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
