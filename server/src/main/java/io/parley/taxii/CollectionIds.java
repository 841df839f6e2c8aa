package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.parley.evidence.StixIds;

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
        return StixIds.uuid5(NAMESPACE, name.getBytes(StandardCharsets.UTF_8));
    }
}
