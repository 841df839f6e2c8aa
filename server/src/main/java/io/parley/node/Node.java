package io.parley.node;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.auth.Authenticator;
import io.parley.channel.CharterBook;
import io.parley.channel.EnvelopeAcceptor;
import io.parley.channel.Refusals;
import io.parley.federation.PeerRequestAuth;
import io.parley.identity.KeyFiles;
import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.log.CosignerKey;
import io.parley.store.ChannelStore;
import io.parley.store.Database;
import io.parley.store.EnvelopeStore;
import io.parley.store.NonceStore;
import io.parley.store.PartyStore;
import io.parley.store.UserStore;
import io.parley.taxii.ChannelDirectory;
import io.parley.taxii.Evidence;
import io.parley.taxii.EvidenceStore;
import io.parley.taxii.OutgoingEvidence;
import io.parley.taxii.TaxiiStore;
import io.parley.transparency.TransparencyLog;
import io.parley.transparency.Witness;
import io.parley.worker.Ticker;

/**
 * One party's node without its HTTP edge: identity, database, stores and the envelope gate. Thread-safe; the HTTP
 * server, the CLI and tests share one instance.
 */
public final class Node implements AutoCloseable {
    private final Path dir;
    private final NodeConfig config;
    private final SigningKey key;
    private final Clock clock;
    /** The randomness of every decision the node makes (backoff jitter): one source, so a test can fix it. */
    private final RandomGenerator random;
    private final Database db;
    /** Who runs the node's duties among the instances sharing {@link #db}. */
    private final io.parley.store.Leadership duties;
    private final ChannelStore channels;
    private final EnvelopeStore envelopes;
    private final PartyStore parties;
    private final UserStore users;
    private final io.parley.cases.CaseStore caseStore;
    private final Authenticator authenticator;
    private final io.parley.auth.Tokens tokens;
    private final io.parley.auth.Sessions sessions;
    private final io.parley.auth.SecondFactor secondFactor;
    private final io.parley.audit.AuditTrail audit;
    private final io.parley.federation.PeerRateLimits peerLimits;
    private final CharterBook charters;
    /** Told of every stored envelope after its transaction committed (e.g. the outbox, the case engine). */
    private final java.util.List<java.util.function.Consumer<io.parley.store.StoredEnvelope>> acceptedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Told of each transaction's stored envelopes at once, for work done once per batch (e.g. a case's projection). */
    private final java.util.List<java.util.function.Consumer<java.util.List<io.parley.store.StoredEnvelope>>> batchListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ChannelActions channelActions = new ChannelActions(this);
    private final MessageAccess messageAccess;
    private final EnvelopeAcceptor acceptor;
    private final Refusals refusals;
    private final Composer composer;
    private final RedCaseSteps redCaseSteps;
    private final Evidence evidence;
    private final TransparencyLog log;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The signed card; replaced when the base URL becomes known (port 0) — readers always see a whole card. */
    private final AtomicReference<PartyCard> card = new AtomicReference<>();

    private final CosignerKey witnessKey;
    private final Witness witness;
    private final PeerRequestAuth peerRequests;

    /** The node's TLS identity, or null when it serves plain HTTP. */
    private final io.parley.tls.NodeTls tls;
    /** What every connection to a peer uses: our client certificate (if any) and the trust of parley.json's tls.ca. */
    private final javax.net.ssl.SSLContext peerSsl;

    private Node(Path dir, NodeConfig config, SigningKey key, SigningKey witnessSigningKey, Database db, Clock clock, RandomGenerator random,
                 io.parley.tls.NodeTls tls, io.parley.auth.SecretBox totpBox) {
        this.dir = dir;
        this.tls = tls;
        this.peerSsl = tls != null ? tls.clientContext() : io.parley.tls.NodeTls.clientContext(List.of());
        this.config = config;
        this.key = key;
        this.db = db;
        this.clock = clock;
        this.random = random;
        this.channels = new ChannelStore(db);
        this.envelopes = new EnvelopeStore(db);
        this.parties = new PartyStore(db);
        this.users = new UserStore(db);
        this.caseStore = new io.parley.cases.CaseStore(db);
        this.messageAccess = new MessageAccess(config.origin(), channels, users);
        this.audit = new io.parley.audit.AuditTrail(new io.parley.audit.AuditStore(db), clock);
        this.authenticator = new Authenticator(users, new io.parley.auth.SignInThrottle(config.throttling().signIn(), clock), audit::record);
        this.tokens = new io.parley.auth.Tokens(new io.parley.store.TokenStore(db), users, clock);
        this.sessions = new io.parley.auth.Sessions(new io.parley.store.SessionStore(db), users, clock, config.signIn());
        this.secondFactor = new io.parley.auth.SecondFactor(new io.parley.store.SecondFactorStore(db), totpBox, clock, "Parley " + config.origin());
        this.peerLimits = new io.parley.federation.PeerRateLimits(config.throttling().peers(), clock);
        this.log = new TransparencyLog(db, key, clock, random, Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT);
        this.duties = io.parley.store.Leadership.of(db, io.parley.store.Leadership.Role.DUTIES);
        log.bindMetrics(metrics);
        this.refusals = new Refusals(envelopes, metrics, clock);
        Counter accepted = Counter.builder("parley_envelopes_accepted").description("envelopes stored").register(metrics);
        this.charters = new CharterBook(channels, config.origin(), key.verifierKey(), this::knownCard, clock);
        this.acceptor = new EnvelopeAcceptor(channels, charters, envelopes, parties, clock, stored -> {
            accepted.increment(stored.size());
            log.poke();
            for (var s : stored) acceptedListeners.forEach(l -> l.accept(s));
            batchListeners.forEach(l -> l.accept(stored));
        }, refusals, log::poke);
        // Evidence is part of the node, not of its HTTP edge: the Composer checks every envelope's evidence against it.
        this.evidence = Evidence.of(new EvidenceStore(db), new TaxiiStore(db), ChannelDirectory.of(channels), config.origin(), clock);
        this.redCaseSteps = new RedCaseSteps(envelopes);
        this.composer = new Composer(key, envelopes, acceptor, clock, List.of(redCaseSteps, new OutgoingEvidence(evidence, users)));
        this.witnessKey = new CosignerKey(witnessSigningKey);
        this.witness = new Witness(new io.parley.transparency.WitnessStore(db), witnessKey, this::trustedLogKey, clock);
        this.peerRequests = new PeerRequestAuth(this::trustedLogKey, new NonceStore(db), this::ownBaseUrl, clock);
    }

    /** The base URL peers reach us at: the published card's, or the configured one before the card exists. */
    private String ownBaseUrl() {
        PartyCard c = card.get();
        String url = c != null ? c.baseUrl() : config.baseUrl();
        return url == null ? "http://unknown.invalid" : url;
    }

    /** The card we hold for {@code origin} (a peer's, or our own), if any. */
    public java.util.Optional<PartyCard> knownCard(String origin) {
        return parties.find(origin).filter(p -> p.card().length() > 2).map(p -> parsedCards.get(p.card(), t -> PartyCard.fromJson(Json.parse(t))));
    }

    /**
     * Cards and keys parsed from their stored text, keyed by that text: every envelope judged looks its sender's card
     * up, and decoding a key costs about as much as checking a signature. Keyed by the text, an entry is never stale.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, PartyCard> parsedCards =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1024).build();
    private final com.github.benmanes.caffeine.cache.Cache<String, io.parley.identity.VerifierKey> parsedKeys =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1024).build();

    /** The log key we trust for a peer's checkpoints: the verifier key of its card as we recorded it. */
    public java.util.Optional<io.parley.identity.VerifierKey> trustedLogKey(String origin) {
        return parties.find(origin).filter(p -> !p.verifierKey().isEmpty()).map(p -> parsedKeys.get(p.verifierKey(), io.parley.identity.VerifierKey::parse));
    }

    /**
     * Opens the node in {@code dir}: reads config and key, opens and migrates the database. The one place a node's
     * real randomness is chosen (SecureRandom: thread-safe, shared by every worker); its time is {@code clock}.
     */
    public static Node open(Path dir, NodeConfig config, Clock clock) throws IOException {
        NodeFiles.secure(dir, config.db() == null);
        SigningKey key = KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE));
        if (!key.name().equals(config.origin())) {
            throw new IOException("the key in " + dir.resolve(NodeConfig.KEY_FILE) + " is for " + key.name() + ", but the node is " + config.origin());
        }
        Path witnessFile = dir.resolve(NodeConfig.WITNESS_KEY_FILE);
        if (!java.nio.file.Files.exists(witnessFile)) KeyFiles.write(witnessFile, SigningKey.generate(config.origin()));
        SigningKey witnessKey = KeyFiles.read(witnessFile);
        // read before the database opens: a TLS key readable by others, or a broken certificate, stops the start
        io.parley.tls.NodeTls tls = config.tls() == null ? null : io.parley.tls.NodeTls.load(dir, config.tls());
        io.parley.auth.SecretBox totpBox = io.parley.auth.SecretBox.open(dir.resolve(NodeConfig.TOTP_KEY_FILE));
        Database db = Database.open(config.jdbcUrl(dir), config.dbUser(), config.dbPassword());
        try {
            return new Node(dir, config, key, witnessKey, db, clock, new SecureRandom(), tls, totpBox);
        } catch (RuntimeException e) { // e.g. an old-format log: release the database before saying why
            db.close();
            throw e;
        }
    }

    /** Signs and publishes our card for {@code baseUrl}, and records it among known parties. */
    public PartyCard publishCard(String baseUrl) {
        PartyCard unsigned = new PartyCard(config.origin(), config.displayName(), config.organisationKind(), config.country(),
                key.verifierKey(), baseUrl, config.contacts(), config.validFrom(), null, config.previousKey(), config.rotationSig(),
                witnessKey.vkey(), tls == null ? null : tls.fingerprint(), null);
        PartyCard signed = PartyCard.sign(unsigned, key);
        card.set(signed);
        String text = Json.write(signed.toJson());
        boolean changed = parties.find(signed.origin()).map(p -> !p.card().equals(text)).orElse(true);
        parties.put(signed.origin(), signed.verifierKey().encoded(), signed.fingerprint(), text, clock.instant());
        parties.pinTls(signed.origin(), signed.tlsCertSha256());
        if (changed) logCard(signed);
        return signed;
    }

    /** Appends a party card we saw (ours or a peer's) to our log (as its commitment), so what we were shown is on record. */
    public void logCard(PartyCard card) {
        byte[] canonical = io.parley.json.Jcs.canonicalize(card.toJson());
        log.append(canonical, "card:" + io.parley.identity.Sha256.hex(canonical));
    }

    public PartyCard card() {
        return card.get();
    }

    public String origin() {
        return config.origin();
    }

    public Path dir() {
        return dir;
    }

    public NodeConfig config() {
        return config;
    }

    public SigningKey key() {
        return key;
    }

    /** The node's TLS identity, if it serves HTTPS. */
    public java.util.Optional<io.parley.tls.NodeTls> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    /**
     * The one place connections to peers are made from (federation, catch-up, evidence, cosignatures, card fetches):
     * they present our TLS client certificate and trust the system store plus parley.json's {@code tls.ca}.
     */
    public java.net.http.HttpClient.Builder peerHttp(java.time.Duration connectTimeout) {
        return java.net.http.HttpClient.newBuilder().sslContext(peerSsl).connectTimeout(connectTimeout);
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Where the node's background workers take the jitter of their retries from. */
    public RandomGenerator random() {
        return random;
    }

    public Database db() {
        return db;
    }

    /**
     * Whether this instance runs the node's outward duties now (deliveries, evidence fetches, cosignature requests and
     * the clocks that sign escalations, pings and reminders): always on SQLite; on a PostgreSQL shared by several
     * instances, only on the one holding the duties' lock. Every such worker asks at the start of each round.
     */
    public boolean runsDuties() {
        return duties.acquire();
    }

    public ChannelStore channels() {
        return channels;
    }

    public EnvelopeStore envelopes() {
        return envelopes;
    }

    public PartyStore parties() {
        return parties;
    }

    public UserStore users() {
        return users;
    }

    /** The cases projection and the escalations this node fired (what CaseBook keeps current from the envelopes). */
    public io.parley.cases.CaseStore caseStore() {
        return caseStore;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** Web sessions: sign-in, timeouts, sign-out. */
    public io.parley.auth.Sessions sessions() {
        return sessions;
    }

    /** TOTP second factors and recovery codes of local accounts. */
    public io.parley.auth.SecondFactor secondFactor() {
        return secondFactor;
    }

    /** Bearer tokens of the API, the CLI and TAXII. */
    public io.parley.auth.Tokens tokens() {
        return tokens;
    }

    /** The hash-chained record of sign-ins, account, charter, export, RED-grant and token changes. */
    public io.parley.audit.AuditTrail audit() {
        return audit;
    }

    /** Per-peer rate limits on the routes peers call (parley.json {@code throttle.peers}). */
    public io.parley.federation.PeerRateLimits peerLimits() {
        return peerLimits;
    }

    /** The audit trail checked: its chain, and every head committed to our log (against peers' cosignatures where given). */
    public io.parley.audit.AuditVerifier.Result verifyAudit() {
        return io.parley.audit.AuditVerifier.verify(audit, log.view(), origin(), logKeysOf(key.verifierKey(), config), witnessesOf(parties, origin()));
    }

    /** The keys our checkpoints may be signed with: the current one, and the one before a rotation (parley.json). */
    public static List<io.parley.identity.VerifierKey> logKeysOf(io.parley.identity.VerifierKey current, NodeConfig config) {
        if (config.previousKey() == null || config.previousKey().isEmpty()) return List.of(current);
        return List.of(current, io.parley.identity.VerifierKey.parse(config.previousKey()));
    }

    /** The cosigner keys of the peers whose cards we hold (not our own): who can witness our log. */
    public static List<io.parley.log.CosignatureVerifier> witnessesOf(PartyStore parties, String self) {
        List<io.parley.log.CosignatureVerifier> out = new java.util.ArrayList<>();
        for (PartyStore.Party p : parties.all()) {
            if (p.origin().equals(self) || p.card().length() <= 2) continue;
            try {
                PartyCard card = PartyCard.fromJson(Json.parse(p.card()));
                if (card.witnessKey() != null) out.add(io.parley.log.CosignatureVerifier.parse(card.witnessKey()));
            } catch (io.parley.log.FormatException | RuntimeException e) {
                // a card with an unusable witness key: that peer cannot witness for us
            }
        }
        return out;
    }

    public void onAccepted(java.util.function.Consumer<io.parley.store.StoredEnvelope> listener) {
        acceptedListeners.add(listener);
    }

    /**
     * As {@link #onAccepted}, told once per transaction with everything it stored (one envelope, or a batch's run), in
     * the order stored.
     */
    public void onAcceptedBatch(java.util.function.Consumer<java.util.List<io.parley.store.StoredEnvelope>> listener) {
        batchListeners.add(listener);
    }

    /** Which local user may read which message (the one MarkingPolicy, applied to envelopes). */
    public MessageAccess messageAccess() {
        return messageAccess;
    }

    public ChannelActions channelActions() {
        return channelActions;
    }

    public CharterBook charters() {
        return charters;
    }

    public EnvelopeAcceptor acceptor() {
        return acceptor;
    }

    /** Records and counts envelopes refused before they could reach the acceptor (e.g. unparseable ones). */
    public Refusals refusals() {
        return refusals;
    }

    /** Who the steps of a TLP:RED case may go to (the rule the Composer enforces on every step). */
    public RedCaseSteps redCaseSteps() {
        return redCaseSteps;
    }

    public Composer composer() {
        return composer;
    }

    /** Evidence held on this node: bundles, TAXII collections, correlation, and the outgoing evidence rules. */
    public Evidence evidence() {
        return evidence;
    }

    public CosignerKey witnessKey() {
        return witnessKey;
    }

    public Witness witness() {
        return witness;
    }

    /** Verifies signed requests from peers (catch-up, evidence fetch) addressed to this node. */
    public PeerRequestAuth peerRequests() {
        return peerRequests;
    }

    public TransparencyLog log() {
        return log;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** A peer we share a channel with: where to reach it and its card, if we have one. */
    public record Peer(String origin, String baseUrl, PartyCard card) {}

    /** Every other member of our channels, with the base URL from the charter (or else its card). */
    public List<Peer> peers() {
        java.util.Map<String, Peer> out = new java.util.TreeMap<>();
        for (var charter : channels.all()) {
            for (var m : charter.members()) {
                if (m.origin().equals(origin()) || out.containsKey(m.origin())) continue;
                PartyCard card = parties.find(m.origin()).filter(p -> p.card().length() > 2)
                        .map(p -> PartyCard.fromJson(Json.parse(p.card()))).orElse(null);
                String url = m.baseUrl() != null ? m.baseUrl() : card != null ? card.baseUrl() : null;
                if (url != null) out.put(m.origin(), new Peer(m.origin(), url, card));
            }
        }
        return List.copyOf(out.values());
    }

    public List<PartyStore.Party> knownParties() {
        return parties.all();
    }

    @Override
    public void close() {
        log.close();
        duties.close();
        db.close();
        metrics.close();
    }
}
