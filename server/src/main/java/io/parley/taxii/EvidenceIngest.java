package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.evidence.Indicators;
import io.parley.evidence.InlineMarkings;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy;
import io.parley.evidence.Observable;
import io.parley.evidence.StixValidator;
import io.parley.evidence.ValidationReport;
import io.parley.evidence.Violation;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.Fault;
import io.parley.store.StoreException;

/**
 * Evidence coming in: bundles uploaded or imported here, carried inline by envelopes, named by hash and fetched from
 * their sender. Each is validated, stored by the SHA-256 of its RFC 8785 form, and indexed in every
 * {@link EvidenceContext} it is held in: its STIX objects into that context's TAXII collection, its observables into
 * the correlation index, each with the TLP that governs it there.
 */
public final class EvidenceIngest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EvidenceIngest.class);
    /** Largest bundle accepted over the API (read as a stream, so above HttpServer's 2 MiB buffered-body limit). */
    public static final long MAX_BUNDLE_BYTES = 10L * 1024 * 1024;
    /** The TLP of unmarked objects in an upload, unless the uploader says otherwise: this organisation only. */
    public static final Tlp DEFAULT_UNMARKED = Tlp.AMBER_STRICT;
    /** The indexer's cursor over the envelopes table. */
    static final String CURSOR = "envelopes";
    /** Passes a database failure may stop on one envelope before the indexer skips it as failed. */
    static final int STORE_RETRIES = 3;

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final EvidenceStore store;
    private final TaxiiStore taxii;
    private final Audiences audiences;
    private final Clock clock;
    private final EvidenceRetractions retractions;
    private final StixValidator validator = StixValidator.shared();
    /** envelope local id → database failures so far; owned by the indexing thread (the EvidenceWorker). */
    private final Map<Long, Integer> storeFailures = new ConcurrentHashMap<>();

    public EvidenceIngest(EvidenceStore store, TaxiiStore taxii, Audiences audiences, Clock clock) {
        this.store = store;
        this.taxii = taxii;
        this.audiences = audiences;
        this.clock = clock;
        this.retractions = new EvidenceRetractions(new RetractionStore(taxii.db()), taxii, clock);
    }

    /** What retract envelopes withdrew here ({@link EvidenceRetractions}). */
    public EvidenceRetractions retractions() {
        return retractions;
    }

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
        index(bundle, sha, new EvidenceContext(Audience.own(audiences.self()), unmarked, "", caseId));
        return new Stored(sha, created, bundle.get("objects").size(), canonical.length);
    }

    /** The 422 refusing an invalid bundle: every violation, its pointer under {@code prefix} in the request. */
    static EvidenceException invalid(ValidationReport report, String prefix) {
        List<Fault> faults = new ArrayList<>();
        for (Violation v : report.violations()) faults.add(new Fault(prefix + v.jsonPath(), v.message()));
        return new EvidenceException(422, "invalid-stix", "the STIX 2.1 bundle has " + faults.size() + " violation"
                + (faults.size() == 1 ? "" : "s") + "; see errors", faults);
    }

    /** Stores {@code bundle}'s objects in the collection of {@code ctx} and its observables in the correlation index. */
    public int index(JsonNode bundle, String sha256, EvidenceContext ctx) {
        // what its sender has withdrawn is never indexed again (e.g. a bundle fetched after its retraction)
        if (retractions.withdrawn(ctx.audience().channel(), ctx.audience().sender(), ctx.caseId(), sha256)) return 0;
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        Audience a = ctx.audience();
        String collection = a.channel() == null ? CollectionIds.own(audiences.self()) : CollectionIds.ofChannel(a.channel());
        Instant now = clock.instant();
        long nowMicros = TaxiiStore.micros(now);
        boolean named = a.names(audiences.self());
        String recipients = EvidenceStore.encodeSet(a.recipients());
        List<TaxiiStore.NewObject> rows = new ArrayList<>();
        Map<Observable, Tlp> observables = new LinkedHashMap<>();
        for (JsonNode o : bundle.path("objects")) {
            Tlp tlp = ctx.tlpOf(o, local);
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
        observables.forEach((ob, tlp) -> obs.add(new EvidenceStore.ObservableRow(ob.type().wire(), ob.value(), sha256, ctx.envelopeHash(),
                a.channel() == null ? "" : a.channel(), ctx.caseId(), a.sender(), a.recipients(), tlp, now)));
        store.putObservables(obs);
        return added;
    }

    private static long versionKey(String timestamp, long fallback) {
        try {
            return TaxiiStore.micros(Instant.parse(timestamp));
        } catch (DateTimeParseException | ArithmeticException e) {
            return fallback;
        }
    }

    /**
     * Records and indexes the evidence an envelope carries: an inline bundle ({@code body.stix}) at once, bundles named
     * by hash ({@code body.evidence[].sha256}) at once when this node sent the envelope, else as pending fetches from
     * the sender, which are returned.
     */
    public List<EvidenceStore.Link> indexEnvelope(String hash, Envelope e) {
        if (e.kind() == Kind.CHARTER) return List.of();
        retractions.apply(hash, e);
        JsonNode body = e.body();
        Set<String> recipients = recipients(body.get("recipients"));
        EvidenceContext ctx = new EvidenceContext(audiences.of(e.channel(), e.from(), recipients), e.tlp(), hash, e.caseId());
        Instant now = clock.instant();
        JsonNode stix = body.get("stix");
        if (stix != null && stix.isObject()) inline(hash, e, recipients, stix, ctx, now);
        List<EvidenceStore.Link> pending = new ArrayList<>();
        JsonNode refs = body.get("evidence");
        if (refs != null && refs.isArray()) {
            for (JsonNode ref : refs) {
                String sha = ref.path("sha256").asText("");
                if (!SHA256.matcher(sha).matches()) continue;
                String name = ref.path("name").isTextual() ? ref.get("name").textValue() : null;
                if (e.from().equals(audiences.self())) {
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

    /** An inline bundle: stored and indexed when valid, else only the link, marked invalid with the first violation. */
    private void inline(String hash, Envelope e, Set<String> recipients, JsonNode stix, EvidenceContext ctx, Instant now) {
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

    /** What one indexing pass did. */
    public record Batch(int envelopes, int pendingFetches, boolean more) {}

    /**
     * Indexes up to {@code limit} envelopes stored after the durable cursor, in local-id order, moving the cursor past
     * each. An envelope whose evidence cannot be handled, whatever the error (a hostile peer's input may even
     * overflow the stack), is recorded in {@code evidence_index_failures} and skipped, so it never blocks those behind
     * it. A database failure stops the pass (the cursor stays, so the envelope is tried again) up to
     * {@value #STORE_RETRIES} times, after which that envelope is skipped as failed too.
     */
    public Batch indexEnvelopes(int limit, BooleanSupplier stop) {
        long after = store.cursor(CURSOR);
        List<EvidenceStore.RawEnvelope> batch = store.envelopesAfter(after, limit);
        int pending = 0;
        int done = 0;
        // The cursor moves once per batch, not once per envelope: a transaction (a disk flush) for every envelope
        // stored competed with every other writer. Indexing an envelope again is harmless (links and objects are
        // written once), so a crash mid-batch costs only the work of redoing it.
        long doneUpTo = after;
        try {
            for (EvidenceStore.RawEnvelope raw : batch) {
                if (stop.getAsBoolean()) return new Batch(done, pending, true);
                try {
                    Envelope e = Envelope.fromJson(Json.parse(raw.canonical()));
                    pending += indexEnvelope(raw.hash(), e).size();
                } catch (StoreException e) {
                    if (storeFailures.merge(raw.id(), 1, Integer::sum) < STORE_RETRIES) throw e;
                    failed(raw, e);
                } catch (Throwable e) {
                    failed(raw, e);
                }
                storeFailures.remove(raw.id());
                doneUpTo = raw.id();
                done++;
            }
        } finally {
            if (doneUpTo > after) store.advance(CURSOR, doneUpTo);
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
    private static Set<String> recipients(JsonNode node) {
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
        if (retractions.withdrawn(link.channel(), link.sender(), link.caseId(), link.refSha256())) {
            store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null, "withdrawn by its sender before it was fetched");
            return;
        }
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
        Tlp ceiling = audiences.channels().charter(link.channel()).map(Charter::tlpCeiling).orElse(Tlp.CLEAR);
        Optional<InlineMarkings.Strictest> top = InlineMarkings.strictest(bundle, link.tlp());
        if (top.isPresent() && top.get().tlp().exceeds(ceiling)) {
            store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.INVALID, null, "fetched bundle holds an object marked TLP:"
                    + top.get().tlp().wire().toUpperCase(Locale.ROOT) + ", above the ceiling of channel " + link.channel());
            return;
        }
        byte[] canonical = Jcs.canonicalize(bundle);
        String sha = Sha256.hex(canonical);
        store.putBundle(new EvidenceStore.Bundle(sha, new String(canonical, StandardCharsets.UTF_8), canonical.length,
                bundle.get("objects").size(), link.tlp(), "fetched", link.sender(), link.caseId(), clock.instant()));
        index(bundle, sha, new EvidenceContext(audiences.of(link.channel(), link.sender(), link.recipients()), link.tlp(), link.envelopeHash(), link.caseId()));
        store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.STORED, sha, "verified: matches the hash the envelope names");
    }
}
