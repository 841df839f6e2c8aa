package io.parley.taxii;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MarkingPolicy;
import io.parley.evidence.StixValidator;
import io.parley.evidence.ValidationReport;
import io.parley.evidence.Violation;
import io.parley.json.Json;

/**
 * The TAXII 2.1 resources of one node, independent of HTTP. Collections: one per channel this node is a member of
 * (read-only: objects arrive in envelopes) and the node's own-sharing collection (read/write for local users).
 * Everything a user reads goes through {@link MarkingPolicy#clearance}.
 */
public final class TaxiiService {
    public static final String TAXII_MEDIA = "application/taxii+json;version=2.1";
    public static final String STIX_MEDIA = "application/stix+json;version=2.1";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Audiences audiences;
    private final EvidenceIngest ingest;
    private final EvidenceAccess access;
    private final TaxiiStore store;
    private final Clock clock;

    public TaxiiService(Evidence evidence, Clock clock) {
        this.audiences = evidence.audiences();
        this.ingest = evidence.ingest();
        this.access = evidence.access();
        this.store = evidence.taxii();
        this.clock = clock;
    }

    /** A collection as one user sees it; {@code audience} is what its rows share (channel, members, ceiling). */
    public record CollectionInfo(String id, String title, String description, boolean canRead, boolean canWrite, Audience audience) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("id", id);
            o.put("title", title);
            if (description != null) o.put("description", description);
            o.put("can_read", canRead);
            o.put("can_write", canWrite);
            o.putArray("media_types").add(STIX_MEDIA);
            return o;
        }
    }

    /** The collections {@code user} may see: the own-sharing collection, then one per channel of this node. */
    public List<CollectionInfo> collections(LocalUser user) {
        List<CollectionInfo> out = new ArrayList<>();
        String self = audiences.self();
        out.add(new CollectionInfo(CollectionIds.own(self), self + " own sharing",
                "STIX objects this node shares: uploads, MISP imports and objects added here over TAXII", true, true, Audience.own(self)));
        List<Charter> charters = new ArrayList<>(audiences.channels().all());
        charters.sort(Comparator.comparing(Charter::title).thenComparing(Charter::channel));
        for (Charter c : charters) {
            if (c.member(self).isEmpty()) continue;
            Audience a = audiences.of(c.channel(), self, null);
            out.add(new CollectionInfo(CollectionIds.ofChannel(c.channel()), c.title(),
                    "STIX objects exchanged in channel " + c.channel() + " (TLP ceiling " + c.tlpCeiling().wire() + ")", true, false, a));
        }
        return out;
    }

    public Optional<CollectionInfo> collection(LocalUser user, String id) {
        return collections(user).stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public MarkingPolicy.Clearance clearance(LocalUser user, CollectionInfo c) {
        return MarkingPolicy.clearance(user, c.audience());
    }

    public TaxiiStore.Page objects(LocalUser user, CollectionInfo c, TaxiiStore.Query q) {
        return store.objects(c.id(), clearance(user, c), q);
    }

    public TaxiiStore.Page versions(LocalUser user, CollectionInfo c, String objectId, TaxiiStore.Query q) {
        return store.versions(c.id(), objectId, clearance(user, c), q);
    }

    /**
     * Adds the objects of a TAXII envelope to a writable collection: each object is validated (as part of a bundle,
     * references resolving within it or to objects already in the collection) and checked against the markings it
     * is held under elsewhere; valid objects are stored and indexed. Returns the status resource (always complete).
     */
    public ObjectNode add(LocalUser user, CollectionInfo c, JsonNode envelope) {
        if (!envelope.isObject() || !envelope.path("objects").isArray()) {
            throw new EvidenceException(422, "invalid-envelope", "the body must be a TAXII envelope: {\"objects\": [...]}");
        }
        JsonNode objects = envelope.get("objects");
        if (objects.size() > StixValidator.MAX_OBJECTS) {
            throw new EvidenceException(413, "too-many-objects", "at most " + StixValidator.MAX_OBJECTS + " objects per request");
        }
        String statusId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ObjectNode bundle = Json.object();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + statusId);
        bundle.set("objects", objects);
        Set<String> referenced = new HashSet<>();
        collectIdentifiers(objects, referenced);
        ValidationReport report = StixValidator.shared().validate(bundle, store.existing(c.id(), referenced));
        Map<Integer, String> failed = new TreeMap<>();
        boolean wholeFails = false;
        for (Violation v : report.violations()) {
            Integer i = objectIndex(v.jsonPath());
            if (i == null) {
                wholeFails = true;
                failed.putIfAbsent(-1, v.message());
            } else {
                failed.merge(i, v.jsonPath() + ": " + v.message(), (a, b) -> a + "; " + b);
            }
        }
        List<String> ids = new ArrayList<>();
        objects.forEach(o -> ids.add(o.path("id").asText()));
        Map<String, String> blocked = wholeFails ? Map.of() : access.blockedFor(c.audience(), ids);
        ArrayNode accepted = Json.MAPPER.createArrayNode();
        ObjectNode status = Json.object();
        ArrayNode successes = Json.MAPPER.createArrayNode();
        ArrayNode failures = Json.MAPPER.createArrayNode();
        for (int i = 0; i < objects.size(); i++) {
            JsonNode o = objects.get(i);
            String why = wholeFails ? failed.get(-1) : failed.getOrDefault(i, blocked.get(o.path("id").asText()));
            ObjectNode detail = Json.object().put("id", o.path("id").asText("")).put("version", version(o, now));
            if (why != null) {
                failures.add(detail.put("message", why));
            } else {
                successes.add(detail);
                accepted.add(o);
            }
        }
        if (!accepted.isEmpty()) {
            ObjectNode ok = bundle.deepCopy();
            ok.set("objects", accepted);
            ingest.index(ok, "taxii:" + statusId, new EvidenceContext(c.audience(), EvidenceIngest.DEFAULT_UNMARKED, "", null));
        }
        status.put("id", statusId);
        status.put("status", "complete");
        status.put("request_timestamp", TaxiiStore.format(TaxiiStore.micros(now)));
        status.put("total_count", objects.size());
        status.put("success_count", successes.size());
        status.set("successes", successes);
        status.put("failure_count", failures.size());
        status.set("failures", failures);
        status.put("pending_count", 0);
        status.set("pendings", Json.MAPPER.createArrayNode());
        store.putStatus(statusId, user.username(), c.id(), Json.write(status), now);
        return status;
    }

    public Optional<String> status(LocalUser user, String id) {
        return store.status(id, user.username());
    }

    private static String version(JsonNode o, Instant now) {
        if (o.path("modified").isTextual()) return o.get("modified").textValue();
        if (o.path("created").isTextual()) return o.get("created").textValue();
        return TaxiiStore.format(TaxiiStore.micros(now));
    }

    private static final Pattern OBJECT_POINTER = Pattern.compile("^/objects/(\\d+)(/.*)?$");

    private static Integer objectIndex(String pointer) {
        Matcher m = OBJECT_POINTER.matcher(pointer);
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    private static void collectIdentifiers(JsonNode node, Set<String> out) {
        if (node.isTextual()) {
            if (IDENTIFIER.matcher(node.textValue()).matches()) out.add(node.textValue());
        } else if (node.isContainerNode()) {
            node.forEach(c -> collectIdentifiers(c, out));
        }
    }
}
