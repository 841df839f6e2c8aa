package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.evidence.Indicators;
import io.parley.evidence.MarkingPolicy;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.Observable;
import io.parley.evidence.ObservableType;
import io.parley.evidence.StixValidator;
import io.parley.evidence.ValidationReport;
import io.parley.evidence.Violation;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * Evidence on a node, independent of HTTP: storing bundles, indexing their STIX objects into TAXII collections and
 * their observables for correlation, and every read or share decision through {@link MarkingPolicy}.
 *
 * <h2>Contexts</h2>
 * A bundle is held in one or more contexts: this node's own material (uploaded or imported here: the own-sharing
 * collection), and each envelope that carried it inline or named it by hash (the channel's collection). The same
 * object may be visible in one context and not in another (e.g. unmarked objects take the envelope's label); a local
 * user sees an object of a bundle when some context lets them.
 */
public final class EvidenceService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EvidenceService.class);
    /** Largest bundle accepted over the API (read as a stream, so above HttpServer's 2 MiB buffered-body limit). */
    public static final long MAX_BUNDLE_BYTES = 10L * 1024 * 1024;
    /** The TLP of unmarked objects in an upload, unless the uploader says otherwise: this organisation only. */
    public static final Tlp DEFAULT_UNMARKED = Tlp.AMBER_STRICT;
    /** Correlation answers are cut at this many rows (newest first). */
    static final int MAX_SIGHTINGS = 1000;
    /** Problem code of a fetch whose every object is withheld from the requesting peer: final, not worth retrying. */
    public static final String WITHHELD = "withheld";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final EvidenceStore store;
    private final TaxiiStore taxii;
    private final ChannelDirectory channels;
    private final String self;
    private final Clock clock;
    private final StixValidator validator;

    public EvidenceService(EvidenceStore store, TaxiiStore taxii, ChannelDirectory channels, String self, Clock clock) {
        this.store = store;
        this.taxii = taxii;
        this.channels = channels;
        this.self = self;
        this.clock = clock;
        this.validator = StixValidator.shared();
    }

    public String self() {
        return self;
    }

    public EvidenceStore store() {
        return store;
    }

    public TaxiiStore taxii() {
        return taxii;
    }

    public ChannelDirectory channels() {
        return channels;
    }

    /** The requester for a local account: role {@code admin}, plus its explicit RED grants. */
    public LocalUser requester(String username, String role) {
        return new LocalUser(username, self, "admin".equals(role), store.redScopes(username));
    }

    // --- audiences --------------------------------------------------------------------------------------------------

    /**
     * The audience of something shared by {@code sender} in {@code channel} (null or "": this node's own material),
     * naming {@code recipients} (null: every member). Named recipients who are not members are dropped: RED never
     * reaches past the charter. An unknown channel has only its sender as audience.
     */
    public Audience audience(String channel, String sender, Set<String> recipients) {
        if (channel == null || channel.isEmpty()) return Audience.own(self);
        Optional<Charter> charter = channels.charter(channel);
        Set<String> members = new TreeSet<>();
        charter.ifPresent(c -> c.members().forEach(m -> members.add(m.origin())));
        Set<String> named = null;
        if (recipients != null) {
            named = new TreeSet<>(recipients);
            named.retainAll(members);
        }
        return new Audience(channel, members, sender, named, charter.map(Charter::tlpCeiling).orElse(Tlp.CLEAR));
    }

    private Audience audience(String channel, String sender, Set<String> recipients, Map<String, Audience> cache) {
        String key = channel + "\u0000" + sender + "\u0000" + recipients;
        return cache.computeIfAbsent(key, k -> audience(channel, sender, recipients));
    }

    /** Where an object is held and how its unmarked objects read. */
    public record Context(Audience audience, Tlp unmarked, String envelopeHash, String caseId) {
        public Context {
            envelopeHash = envelopeHash == null ? "" : envelopeHash;
        }
    }

    // --- storing and indexing ---------------------------------------------------------------------------------------

    /** The outcome of storing a bundle. */
    public record Stored(String sha256, boolean created, int objects, long bytes) {}

    /**
     * Validates and stores an uploaded (or imported) bundle as this node's own material, indexing it into the
     * own-sharing collection and the correlation index.
     *
     * @throws EvidenceException 422 listing every violation with its JSON pointer when the bundle is not valid STIX 2.1
     */
    public Stored upload(JsonNode bundle, String addedBy, Tlp unmarked, String caseId, String source) {
        ValidationReport report = validator.validate(bundle);
        if (!report.valid()) throw invalid(report, "");
        byte[] canonical = Jcs.canonicalize(bundle);
        String sha = Sha256.hex(canonical);
        boolean created = store.putBundle(new EvidenceStore.Bundle(sha, new String(canonical, StandardCharsets.UTF_8), canonical.length,
                bundle.get("objects").size(), unmarked, source, addedBy, caseId, clock.instant()));
        // Index even when the bundle was already held (e.g. it arrived from a peer first): now it is ours too.
        index(bundle, sha, new Context(Audience.own(self), unmarked, "", caseId));
        return new Stored(sha, created, bundle.get("objects").size(), canonical.length);
    }

    static EvidenceException invalid(ValidationReport report, String prefix) {
        List<EvidenceException.Fault> faults = new ArrayList<>();
        for (Violation v : report.violations()) faults.add(new EvidenceException.Fault(prefix + v.jsonPath(), v.message()));
        return new EvidenceException(422, "invalid-stix", "the STIX 2.1 bundle has " + faults.size() + " violation"
                + (faults.size() == 1 ? "" : "s") + "; see errors", faults);
    }

    /** Stores {@code bundle}'s objects in the collection of {@code ctx} and its observables in the correlation index. */
    public int index(JsonNode bundle, String sha256, Context ctx) {
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        Audience a = ctx.audience();
        String collection = a.channel() == null ? CollectionIds.own(self) : CollectionIds.ofChannel(a.channel());
        Instant now = clock.instant();
        long nowMicros = TaxiiStore.micros(now);
        boolean named = a.names(self);
        String recipients = EvidenceStore.encodeSet(a.recipients());
        List<TaxiiStore.NewObject> rows = new ArrayList<>();
        Map<Observable, Tlp> observables = new LinkedHashMap<>();
        for (JsonNode o : bundle.path("objects")) {
            Tlp tlp = ctx.envelopeHash().isEmpty() ? MarkingPolicy.tlpOf(o, local, ctx.unmarked()) : MarkingPolicy.tlpInMessage(o, local, ctx.unmarked());
            String version = o.path("modified").isTextual() ? o.get("modified").textValue()
                    : o.path("created").isTextual() ? o.get("created").textValue() : null;
            long versionKey = version == null ? nowMicros : versionKey(version, nowMicros);
            if (version == null) version = TaxiiStore.format(nowMicros);
            String spec = o.path("spec_version").asText("2.1");
            rows.add(new TaxiiStore.NewObject(o.path("id").asText(), o.path("type").asText(), spec, version, versionKey, tlp, named,
                    a.channel(), ctx.envelopeHash().isEmpty() ? null : ctx.envelopeHash(), a.sender(), recipients, ctx.caseId(), Json.write(o)));
            ObjectNode single = Json.object();
            single.putArray("objects").add(o);
            for (Observable ob : Indicators.extract(single)) observables.merge(ob, tlp, (x, y) -> x.exceeds(y) ? y : x);
        }
        int added = taxii.insert(collection, rows, now);
        List<EvidenceStore.ObservableRow> obs = new ArrayList<>();
        observables.forEach((ob, tlp) -> obs.add(new EvidenceStore.ObservableRow(typeName(ob.type()), ob.value(), sha256, ctx.envelopeHash(),
                a.channel() == null ? "" : a.channel(), ctx.caseId(), a.sender(), a.recipients(), tlp, now)));
        store.putObservables(obs);
        return added;
    }

    static long versionKey(String timestamp, long fallback) {
        try {
            return TaxiiStore.micros(Instant.parse(timestamp));
        } catch (DateTimeParseException | ArithmeticException e) {
            return fallback;
        }
    }

    public static String typeName(ObservableType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Records and indexes the evidence an envelope carries: an inline bundle ({@code body.stix}) at once, bundles named
     * by hash ({@code body.evidence[].sha256}) at once when this node sent the envelope, else as pending fetches from
     * the sender, which are returned.
     */
    public List<EvidenceStore.Link> indexEnvelope(String hash, Envelope e) {
        if (e.kind() == Kind.CHARTER) return List.of();
        ObjectNode body = e.body();
        Set<String> recipients = recipients(body.get("recipients"));
        Context ctx = new Context(audience(e.channel(), e.from(), recipients), e.tlp(), hash, e.caseId());
        Instant now = clock.instant();
        List<EvidenceStore.Link> pending = new ArrayList<>();
        JsonNode stix = body.get("stix");
        if (stix != null && stix.isObject()) {
            byte[] canonical = Jcs.canonicalize(stix);
            String sha = Sha256.hex(canonical);
            ValidationReport report = validator.validate(stix);
            if (!report.valid()) {
                Violation first = report.violations().get(0);
                store.putLink(link(hash, sha, e, recipients, null, true, EvidenceStore.INVALID, null, now,
                        "inline bundle invalid at " + first.jsonPath() + ": " + first.message()), now);
            } else {
                store.putBundle(new EvidenceStore.Bundle(sha, new String(canonical, StandardCharsets.UTF_8), canonical.length,
                        stix.get("objects").size(), e.tlp(), "inline", e.from(), e.caseId(), now));
                store.putLink(link(hash, sha, e, recipients, null, true, EvidenceStore.STORED, sha, now, null), now);
                index(stix, sha, ctx);
            }
        }
        JsonNode refs = body.get("evidence");
        if (refs != null && refs.isArray()) {
            for (JsonNode ref : refs) {
                String sha = ref.path("sha256").asText("");
                if (!SHA256.matcher(sha).matches()) continue;
                String name = ref.path("name").isTextual() ? ref.get("name").textValue() : null;
                if (e.from().equals(self)) {
                    Optional<EvidenceStore.Bundle> held = store.bundle(sha);
                    if (held.isPresent()) {
                        store.putLink(link(hash, sha, e, recipients, name, false, EvidenceStore.STORED, sha, now, null), now);
                        index(Json.parse(held.get().json()), sha, ctx);
                    } else {
                        store.putLink(link(hash, sha, e, recipients, name, false, EvidenceStore.FAILED, null, now, "not held on this node"), now);
                    }
                } else {
                    EvidenceStore.Link l = link(hash, sha, e, recipients, name, false, EvidenceStore.PENDING, null, now, null);
                    if (store.putLink(l, now)) pending.add(l);
                }
            }
        }
        return pending;
    }

    /** The indexer's cursor over the envelopes table. */
    static final String CURSOR = "envelopes";

    /** What one indexing pass did. */
    public record Batch(int envelopes, int pendingFetches, boolean more) {}

    /** Passes a database failure may stop on one envelope before the indexer skips it as failed. */
    static final int STORE_RETRIES = 3;
    /** envelope local id → database failures so far; owned by the indexing thread (the EvidenceWorker). */
    private final Map<Long, Integer> storeFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Indexes up to {@code limit} envelopes stored after the durable cursor, in local-id order, moving the cursor past
     * each. An envelope whose evidence cannot be handled, whatever the error (a hostile peer's input may even
     * overflow the stack), is recorded in {@code evidence_index_failures} and skipped, so it never blocks those behind
     * it. A database failure stops the pass (the cursor stays, so the envelope is tried again) up to
     * {@value #STORE_RETRIES} times, after which that envelope is skipped as failed too.
     */
    public Batch indexEnvelopes(int limit, java.util.function.BooleanSupplier stop) {
        long after = store.cursor(CURSOR);
        List<EvidenceStore.RawEnvelope> batch = store.envelopesAfter(after, limit);
        int pending = 0;
        int done = 0;
        for (EvidenceStore.RawEnvelope raw : batch) {
            if (stop.getAsBoolean()) return new Batch(done, pending, true);
            try {
                Envelope e = Envelope.fromJson(Json.parse(raw.canonical()));
                pending += indexEnvelope(raw.hash(), e).size();
            } catch (io.parley.store.StoreException e) {
                if (storeFailures.merge(raw.id(), 1, Integer::sum) < STORE_RETRIES) throw e;
                failed(raw, e);
            } catch (Throwable e) {
                failed(raw, e);
            }
            storeFailures.remove(raw.id());
            store.advance(CURSOR, raw.id());
            done++;
        }
        return new Batch(done, pending, batch.size() == limit);
    }

    private void failed(EvidenceStore.RawEnvelope raw, Throwable e) {
        LOG.warn("evidence index: skipping envelope {}: {}", raw.hash(), e.toString());
        try {
            store.putIndexFailure(raw.hash(), e.toString(), clock.instant());
        } catch (RuntimeException notRecorded) {
            LOG.warn("evidence index: could not record the failure of {}: {}", raw.hash(), notRecorded.toString());
        }
    }

    private static EvidenceStore.Link link(String hash, String sha, Envelope e, Set<String> recipients, String name, boolean inline,
                                           String state, String stored, Instant now, String detail) {
        return new EvidenceStore.Link(hash, sha, e.channel(), e.from(), e.caseId(), e.tlp(), recipients, name, inline, state, stored, 0,
                now.toEpochMilli(), detail);
    }

    /** The {@code recipients} member of an envelope body, or null when absent or not an array of strings. */
    static Set<String> recipients(JsonNode node) {
        if (node == null || !node.isArray()) return null;
        Set<String> out = new TreeSet<>();
        for (JsonNode r : node) {
            if (!r.isTextual()) return null;
            out.add(r.textValue());
        }
        return out;
    }

    /**
     * Stores and indexes a bundle fetched from the sender of {@code link}'s envelope, which must be exactly the bundle
     * the envelope names (the worker keeps anything else as proof against the sender, {@link EvidenceStore#putMismatch}).
     */
    public void completeFetch(EvidenceStore.Link link, JsonNode bundle) {
        if (!Sha256.hex(Jcs.canonicalize(bundle)).equals(link.refSha256())) {
            store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null,
                    "mismatch: what " + link.sender() + " served does not hash to the reference its envelope signs");
            return;
        }
        ValidationReport report = validator.validate(bundle);
        if (!report.valid()) {
            Violation first = report.violations().get(0);
            store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.INVALID, null,
                    "fetched bundle invalid at " + first.jsonPath() + ": " + first.message());
            return;
        }
        // The same rule as for inline bundles at the gate: nothing above the channel's ceiling enters through it.
        Tlp ceiling = channels.charter(link.channel()).map(Charter::tlpCeiling).orElse(Tlp.CLEAR);
        Optional<io.parley.evidence.InlineMarkings.Strictest> top = io.parley.evidence.InlineMarkings.strictest(bundle, link.tlp());
        if (top.isPresent() && top.get().tlp().exceeds(ceiling)) {
            store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.INVALID, null, "fetched bundle holds an object marked TLP:"
                    + top.get().tlp().wire().toUpperCase(java.util.Locale.ROOT) + ", above the ceiling of channel " + link.channel());
            return;
        }
        byte[] canonical = Jcs.canonicalize(bundle);
        String sha = Sha256.hex(canonical);
        store.putBundle(new EvidenceStore.Bundle(sha, new String(canonical, StandardCharsets.UTF_8), canonical.length,
                bundle.get("objects").size(), link.tlp(), "fetched", link.sender(), link.caseId(), clock.instant()));
        index(bundle, sha, new Context(audience(link.channel(), link.sender(), link.recipients()), link.tlp(), link.envelopeHash(), link.caseId()));
        store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.STORED, sha, "verified: matches the hash the envelope names");
    }

    // --- reading ----------------------------------------------------------------------------------------------------

    /** The bundle held for {@code sha256}: the bundle itself, or what was fetched for an envelope that named it. */
    public Optional<EvidenceStore.Bundle> held(String sha256) {
        Optional<EvidenceStore.Bundle> b = store.bundle(sha256);
        if (b.isPresent()) return b;
        for (EvidenceStore.Link l : store.linksNaming(sha256)) {
            if (l.storedSha256() != null) {
                b = store.bundle(l.storedSha256());
                if (b.isPresent()) return b;
            }
        }
        return Optional.empty();
    }

    /** Every context {@code b} is held in. */
    List<Context> contexts(EvidenceStore.Bundle b) {
        List<Context> out = new ArrayList<>();
        if (b.source().equals("upload") || b.source().equals("misp")) out.add(new Context(Audience.own(self), b.unmarked(), "", b.caseId()));
        Map<String, Audience> cache = new HashMap<>();
        for (EvidenceStore.Link l : store.linksHolding(b.sha256())) {
            out.add(new Context(audience(l.channel(), l.sender(), l.recipients(), cache), l.tlp(), l.envelopeHash(), l.caseId()));
        }
        return out;
    }

    /** What {@code user} may see of the bundle held for {@code sha256}: empty when nothing (or no such bundle). */
    public Optional<ObjectNode> visibleBundle(LocalUser user, String sha256) {
        Optional<EvidenceStore.Bundle> b = held(sha256);
        if (b.isEmpty()) return Optional.empty();
        JsonNode bundle = Json.parse(b.get().json());
        List<Context> contexts = contexts(b.get());
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        ObjectNode out = MarkingPolicy.redact(bundle, o -> contexts.stream()
                .anyMatch(c -> MarkingPolicy.mayRead(user, c.audience(), c.envelopeHash().isEmpty()
                        ? MarkingPolicy.tlpOf(o, local, c.unmarked()) : MarkingPolicy.tlpInMessage(o, local, c.unmarked()))));
        return out.get("objects").isEmpty() ? Optional.empty() : Optional.of(out);
    }

    public Optional<EvidenceStore.Bundle> meta(String sha256) {
        return held(sha256);
    }

    /**
     * The bundle this node named as {@code sha256} in its envelope {@code envelopeHash}, for peer {@code peer}: the
     * whole bundle, exactly as named, when the peer may read every object of it in that channel (TLP, named
     * recipients, the channel's ceiling) and this node may share every object on into it; otherwise nothing, since a
     * recipient treats any bytes that do not hash to the signed reference as evidence against the sender.
     *
     * @throws EvidenceException 404 when this node sent no such envelope naming that bundle, or ({@link #WITHHELD})
     *     when the peer may not have all of it; 403 when the peer is not a member of the envelope's channel
     */
    public ObjectNode forPeer(String peer, String sha256, String envelopeHash) {
        Optional<EvidenceStore.Link> link = store.link(envelopeHash, sha256)
                .filter(l -> l.sender().equals(self) && EvidenceStore.STORED.equals(l.state()) && !l.inline());
        if (link.isEmpty()) throw new EvidenceException(404, "unknown-evidence", "this node sent no envelope " + envelopeHash + " naming evidence " + sha256);
        Audience audience = audience(link.get().channel(), self, link.get().recipients());
        if (!audience.members().contains(peer)) {
            throw new EvidenceException(403, "not-member", peer + " is not a member of channel " + link.get().channel());
        }
        EvidenceStore.Bundle b = store.bundle(link.get().storedSha256())
                .orElseThrow(() -> new EvidenceException(404, "unknown-evidence", "evidence " + sha256 + " is no longer held here"));
        JsonNode bundle = Json.parse(b.json());
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        Map<String, String> blocked = blockedFor(audience, ids(bundle));
        MarkingPolicy.Peer requester = new MarkingPolicy.Peer(peer);
        // Whole or nothing: a recipient must be able to check what it gets against the hash this node signed, so a
        // peer that may not read every object gets none (the outgoing checks make every named recipient able to).
        for (JsonNode o : bundle.path("objects")) {
            if (blocked.containsKey(o.path("id").asText()) || !MarkingPolicy.mayRead(requester, audience, MarkingPolicy.tlpInMessage(o, local, link.get().tlp()))) {
                throw new EvidenceException(404, WITHHELD, "evidence " + sha256 + " is not for " + peer + " in full, so none of it is served");
            }
        }
        return (ObjectNode) bundle;
    }

    private static List<String> ids(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        bundle.path("objects").forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    /**
     * Objects among {@code objectIds} that may not be put into {@code target}: this node holds them from another
     * party under a marking that forbids sharing them on there. Value: why.
     */
    public Map<String, String> blockedFor(Audience target, Collection<String> objectIds) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Audience> cache = new HashMap<>();
        for (TaxiiStore.Holding h : taxii.holdings(objectIds)) {
            if (h.sender().equals(self)) continue;
            Audience from = audience(h.channel(), h.sender(), EvidenceStore.decodeSet(h.recipients()), cache);
            if (!MarkingPolicy.mayReshare(from, target, h.tlp(), self)) {
                out.putIfAbsent(h.objectId(), "received from " + h.sender() + (h.channel() == null ? "" : " in channel " + h.channel())
                        + " as TLP:" + h.tlp().wire().toUpperCase(java.util.Locale.ROOT) + ", which may not be shared on "
                        + (target.channel() == null ? "to this node's own collection" : "in channel " + target.channel()));
            }
        }
        return out;
    }

    // --- sending ----------------------------------------------------------------------------------------------------

    /**
     * Checks the evidence in the body of a message {@code user} is about to send in {@code channel} with label
     * {@code tlp}: {@code recipients} are members; an inline {@code stix} bundle is valid STIX 2.1, every object fits
     * under the channel's ceiling, may be shared on into the channel, and is not RED unless every member is named
     * (an inline bundle reaches every member); bundles named in {@code evidence} are held here, readable by the user
     * in full, under the ceiling and may be shared on. Returns the faults, as pointers into the request body.
     */
    public List<EvidenceException.Fault> checkOutgoing(LocalUser user, String channel, Tlp tlp, JsonNode body) {
        List<EvidenceException.Fault> faults = new ArrayList<>();
        Optional<Charter> charter = channels.charter(channel);
        if (charter.isEmpty() || body == null || !body.isObject()) return faults;
        Set<String> members = new TreeSet<>();
        charter.get().members().forEach(m -> members.add(m.origin()));
        Tlp ceiling = charter.get().tlpCeiling();
        Set<String> recipients = null;
        JsonNode rs = body.get("recipients");
        if (rs != null && !rs.isNull()) {
            if (!rs.isArray() || rs.isEmpty()) {
                faults.add(new EvidenceException.Fault("/body/recipients", "recipients must be a non-empty array of member origins"));
            } else {
                recipients = new TreeSet<>();
                for (int i = 0; i < rs.size(); i++) {
                    JsonNode r = rs.get(i);
                    if (!r.isTextual() || !members.contains(r.textValue())) {
                        faults.add(new EvidenceException.Fault("/body/recipients/" + i, "recipients must be members of channel " + channel + ": " + r));
                    } else {
                        recipients.add(r.textValue());
                    }
                }
            }
        }
        Audience target = new Audience(channel, members, self, recipients, ceiling);
        JsonNode stix = body.get("stix");
        if (stix != null && !stix.isNull()) {
            ValidationReport report = validator.validate(stix);
            if (!report.valid()) {
                faults.addAll(invalid(report, "/body/stix").faults());
            } else {
                Set<String> others = new HashSet<>(members);
                others.remove(self);
                boolean everyoneNamed = recipients == null || recipients.containsAll(others);
                checkObjects(stix, i2 -> "/body/stix/objects/" + i2, i2 -> "", tlp, target, faults, everyoneNamed, true);
            }
        }
        JsonNode refs = body.get("evidence");
        if (refs != null && !refs.isNull()) {
            if (!refs.isArray()) {
                faults.add(new EvidenceException.Fault("/body/evidence", "evidence must be an array of {\"sha256\": …, \"name\": …}"));
                return faults;
            }
            for (int i = 0; i < refs.size(); i++) {
                String at = "/body/evidence/" + i;
                JsonNode ref = refs.get(i);
                String sha = ref.path("sha256").asText("");
                if (!ref.isObject() || !SHA256.matcher(sha).matches()) {
                    faults.add(new EvidenceException.Fault(at + "/sha256", "sha256 must be the lowercase hex SHA-256 of an uploaded bundle"));
                    continue;
                }
                if (ref.has("name") && !ref.get("name").isTextual()) faults.add(new EvidenceException.Fault(at + "/name", "name must be a string"));
                Optional<EvidenceStore.Bundle> held = store.bundle(sha);
                if (held.isEmpty()) {
                    faults.add(new EvidenceException.Fault(at + "/sha256", "no evidence " + sha + " is held here; upload it first (POST /api/v1/evidence)"));
                    continue;
                }
                JsonNode bundle = Json.parse(held.get().json());
                int visible = visibleBundle(user, sha).map(v -> v.get("objects").size()).orElse(0);
                if (visible < bundle.get("objects").size()) {
                    faults.add(new EvidenceException.Fault(at + "/sha256", "the bundle holds objects you may not read, so you may not share it"));
                    continue;
                }
                checkObjects(bundle, i2 -> at + "/sha256", i2 -> "object /objects/" + i2 + " of evidence " + sha + ": ", tlp, target, faults, true, false);
            }
        }
        return faults;
    }

    private void checkObjects(JsonNode bundle, java.util.function.IntFunction<String> pointer, java.util.function.IntFunction<String> prefix,
                              Tlp envelopeTlp, Audience target, List<EvidenceException.Fault> faults, boolean redAllowed, boolean inline) {
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        JsonNode objects = bundle.get("objects");
        Map<String, String> blocked = blockedFor(target, ids(bundle));
        for (int i = 0; i < objects.size(); i++) {
            JsonNode o = objects.get(i);
            String p = pointer.apply(i);
            String pre = prefix.apply(i);
            Tlp t = MarkingPolicy.tlpOf(o, local, envelopeTlp);
            if (t.exceeds(target.ceiling())) {
                faults.add(new EvidenceException.Fault(p, pre + "marked TLP:" + t.wire().toUpperCase(java.util.Locale.ROOT) + ", above the TLP ceiling "
                        + target.ceiling().wire().toUpperCase(java.util.Locale.ROOT) + " of channel " + target.channel()));
            } else if (inline && t.exceeds(envelopeTlp)) {
                // Whoever may read the message reads its inline bundle (views, exports, the recipients' stores).
                faults.add(new EvidenceException.Fault(p, pre + "marked TLP:" + t.wire().toUpperCase(java.util.Locale.ROOT) + ", above the message's own label TLP:"
                        + envelopeTlp.wire().toUpperCase(java.util.Locale.ROOT) + ": label the message at least TLP:" + t.wire().toUpperCase(java.util.Locale.ROOT)
                        + " or attach the bundle by hash (body.evidence)"));
            } else if (t == Tlp.RED && !redAllowed) {
                faults.add(new EvidenceException.Fault(p, pre + "TLP:RED in an inline bundle would reach every member, not only the named recipients: "
                        + "attach the bundle by hash (body.evidence) so that only named recipients can fetch it"));
            }
            String why = blocked.get(o.path("id").asText());
            if (why != null) faults.add(new EvidenceException.Fault(p, pre + why));
        }
    }

    // --- correlation ------------------------------------------------------------------------------------------------

    /** Where an observable appeared, as far as {@code user} may see: channel, party, time, TLP, case. Newest first. */
    public ArrayNode sightings(LocalUser user, ObservableType type, String value) {
        Optional<Observable> ob = Observable.of(type, value);
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (ob.isEmpty()) return out;
        Map<String, Audience> cache = new HashMap<>();
        for (EvidenceStore.ObservableRow r : store.sightings(typeName(type), ob.get().value(), MAX_SIGHTINGS)) {
            if (!visible(user, r, cache)) continue;
            out.add(sightingJson(r));
        }
        return out;
    }

    private boolean visible(LocalUser user, EvidenceStore.ObservableRow r, Map<String, Audience> cache) {
        return MarkingPolicy.mayRead(user, audience(r.channel(), r.sender(), r.recipients(), cache), r.tlp());
    }

    private static ObjectNode sightingJson(EvidenceStore.ObservableRow r) {
        ObjectNode o = Json.object();
        o.put("type", r.type()).put("value", r.value());
        if (r.channel().isEmpty()) o.putNull("channel");
        else o.put("channel", r.channel());
        o.put("party", r.sender());
        o.put("seen_at", r.seenAt().toString());
        o.put("tlp", r.tlp().wire());
        if (r.caseId() == null) o.putNull("case");
        else o.put("case", r.caseId());
        if (!r.envelopeHash().isEmpty()) o.put("envelope", r.envelopeHash());
        if (!r.sha256().startsWith("taxii:")) o.put("evidence", r.sha256());
        return o;
    }

    /**
     * Other cases that share observables with case {@code caseId} of {@code channel} (null: evidence filed here under
     * the id without a channel), as far as {@code user} may see both sides: per other case, named by channel and id,
     * the shared values, and where (channel, party, time, TLP) the other case reported them.
     */
    public ObjectNode caseCorrelations(LocalUser user, String channel, String caseId) {
        Map<String, Audience> cache = new HashMap<>();
        Map<String, ObjectNode> byCase = new TreeMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (EvidenceStore.Pair p : store.sharedWithOtherCases(channel, caseId, 20_000)) {
            if (!visible(user, p.mine(), cache) || !visible(user, p.other(), cache)) continue;
            String otherKey = p.other().channel() + "\u0000" + p.other().caseId();
            ObjectNode c = byCase.computeIfAbsent(otherKey, k -> {
                ObjectNode n = Json.object().put("case", p.other().caseId());
                if (p.other().channel().isEmpty()) n.putNull("channel");
                else n.put("channel", p.other().channel());
                n.putArray("shared");
                n.putArray("sightings");
                return n;
            });
            String key = p.other().type() + "\u0000" + p.other().value();
            Set<String> s = seen.computeIfAbsent(otherKey, k -> new HashSet<>());
            if (s.add(key)) ((ArrayNode) c.get("shared")).addObject().put("type", p.other().type()).put("value", p.other().value());
            String sightingKey = "s\u0000" + key + "\u0000" + p.other().sha256() + "\u0000" + p.other().envelopeHash();
            if (s.add(sightingKey)) ((ArrayNode) c.get("sightings")).add(sightingJson(p.other()));
        }
        ObjectNode out = Json.object().put("case", caseId);
        if (channel == null) out.putNull("channel");
        else out.put("channel", channel);
        ArrayNode arr = out.putArray("correlated_cases");
        byCase.values().forEach(arr::add);
        return out;
    }
}
