package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.api.ProblemException;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.StixIds;
import io.parley.json.Json;

/**
 * A channel's shared evidence as a MISP feed, for one reader: {@code manifest.json} (event uuid to its summary), one
 * {@code <uuid>.json} per event ({@code {"Event": {...}}}) and {@code hashes.csv} (MD5 of each attribute value, with
 * the uuid of its event), the layout MISP's "MISP Feed" source type fetches.
 *
 * <p>One event per bundle shared in the channel, converted by {@link EvidenceExports#mispInChannel}: the same marking
 * policy and withdrawal rule as the single-bundle MISP export, judged in this channel's sharings only. A bundle the
 * reader may read nothing of, or whose every sharing in the channel was withdrawn, is not in the feed.
 *
 * <p>What the feed sets on each event, and why:
 * <ul>
 *   <li>{@code uuid}: a name-based UUID (version 5) of the bundle's SHA-256. A bundle is immutable, so one uuid names
 *       one content; a uuid taken from the bundle (its report's id) would let a member publish under another party's
 *       event uuid and overwrite that event in every subscribing MISP.</li>
 *   <li>{@code timestamp}: when the bundle was first shared in the channel (as this node recorded it), so MISP's
 *       "fetch only new or changed events" sees each bundle once.</li>
 *   <li>{@code Orgc}: the party that shared it in the channel (authenticated by its signature; the first by origin when
 *       several shared the same bytes), never the creator a bundle claims for itself.</li>
 *   <li>{@code analysis}: {@code 0} (MISP's own default) when the export says nothing.</li>
 * </ul>
 *
 * <p>Bounded: the {@link #MAX_EVENTS} bundles most recently shared; a manifest is one document MISP reads whole, and
 * every entry costs a conversion. A bundle that falls out of the window stays in the MISP instances that pulled it.
 */
public final class MispFeed {
    /** The most bundles a feed lists (the most recently shared). */
    public static final int MAX_EVENTS = 1000;
    /** The namespace of the feed's name-based UUIDs (fixed: the uuids must stay the same across nodes and versions). */
    private static final UUID NAMESPACE = UUID.fromString("9f3c6a2e-5d1b-4b8e-a7c4-2e61f0d8b935");

    private final Evidence evidence;
    private final EvidenceExports exports;

    public MispFeed(Evidence evidence, EvidenceExports exports) {
        this.evidence = evidence;
        this.exports = exports;
    }

    /** One event of the feed: its uuid, the bundle it was converted from, and the MISP event ({@code {"Event": ...}}). */
    public record Event(String uuid, String sha256, ObjectNode misp) {}

    /** Every event of {@code channel}'s feed that {@code reader} may read, most recently shared first. */
    public List<Event> events(LocalUser reader, String channel) {
        List<Event> out = new ArrayList<>();
        for (EvidenceStore.SharedBundle b : evidence.store().sharedIn(channel, MAX_EVENTS)) {
            convert(reader, channel, b).ifPresent(out::add);
        }
        return out;
    }

    /** The event with feed uuid {@code uuid} in {@code channel}'s feed, if {@code reader} may read it. */
    public Optional<Event> event(LocalUser reader, String channel, String uuid) {
        for (EvidenceStore.SharedBundle b : evidence.store().sharedIn(channel, MAX_EVENTS)) {
            if (eventUuid(b.sha256()).equals(uuid)) return convert(reader, channel, b);
        }
        return Optional.empty();
    }

    private Optional<Event> convert(LocalUser reader, String channel, EvidenceStore.SharedBundle b) {
        ObjectNode misp;
        try {
            misp = exports.mispInChannel(reader, b.sha256(), channel);
        } catch (ProblemException e) {
            // not for this reader (404) or withdrawn in this channel (410): not in the feed
            if (e.problem().status() == 404 || e.problem().status() == 410) return Optional.empty();
            throw e;
        }
        String uuid = eventUuid(b.sha256());
        ObjectNode event = (ObjectNode) misp.get("Event");
        event.put("uuid", uuid);
        event.put("timestamp", Long.toString(b.firstSharedAt().getEpochSecond()));
        if (!event.hasNonNull("analysis")) event.put("analysis", "0");
        TreeSet<String> sharers = new TreeSet<>();
        evidence.store().linksHolding(b.sha256()).forEach(l -> {
            if (channel.equals(l.channel())) sharers.add(l.sender());
        });
        if (!sharers.isEmpty()) {
            event.putObject("Orgc").put("name", sharers.first()).put("uuid", nameUuid("party:" + sharers.first()));
        }
        return Optional.of(new Event(uuid, b.sha256(), misp));
    }

    /** {@code manifest.json}: each event's uuid to the summary MISP lists before fetching the event. */
    public static ObjectNode manifest(List<Event> events) {
        ObjectNode out = Json.object();
        for (Event e : events) {
            JsonNode ev = e.misp().get("Event");
            ObjectNode entry = out.putObject(e.uuid());
            for (String f : new String[] {"info", "date", "analysis", "threat_level_id", "timestamp", "published"}) {
                if (ev.hasNonNull(f)) entry.set(f, ev.get(f));
            }
            if (ev.has("Orgc")) {
                entry.putObject("Orgc").put("name", ev.get("Orgc").path("name").asText()).put("uuid", ev.get("Orgc").path("uuid").asText());
            }
            ArrayNode tags = entry.putArray("Tag");
            for (JsonNode t : ev.path("Tag")) {
                ObjectNode tag = tags.addObject().put("name", t.path("name").asText());
                if (t.hasNonNull("colour")) tag.put("colour", t.get("colour").asText());
            }
        }
        return out;
    }

    /**
     * {@code hashes.csv}: one line {@code md5,event-uuid} per attribute value, objects' attributes included. As MISP
     * hashes values for its feed cache: a composite value ({@code filename|md5}, {@code malware-sample}) is hashed part
     * by part, each part its own line.
     */
    public static String hashes(List<Event> events) {
        StringBuilder out = new StringBuilder();
        for (Event e : events) {
            JsonNode ev = e.misp().get("Event");
            List<JsonNode> attributes = new ArrayList<>();
            ev.path("Attribute").forEach(attributes::add);
            ev.path("Object").forEach(o -> o.path("Attribute").forEach(attributes::add));
            for (JsonNode a : attributes) {
                String type = a.path("type").asText();
                String value = a.path("value").asText();
                boolean composite = type.contains("|") || type.equals("malware-sample");
                for (String part : composite ? value.split("\\|", -1) : new String[] {value}) {
                    out.append(md5(part)).append(',').append(e.uuid()).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The feed uuid of bundle {@code sha256}. */
    public static String eventUuid(String sha256) {
        return nameUuid("evidence:" + sha256);
    }

    /** A version 5 (SHA-1, name-based) UUID of {@code name} in the feed's namespace, RFC 9562 section 5.5. */
    static String nameUuid(String name) {
        return StixIds.uuid5(NAMESPACE, name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String md5(String s) {
        return HexFormat.of().formatHex(digest("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
