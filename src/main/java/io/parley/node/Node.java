package io.parley.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.auth.Authenticator;
import io.parley.channel.EnvelopeAcceptor;
import io.parley.identity.KeyFiles;
import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.store.ChannelStore;
import io.parley.store.Database;
import io.parley.store.EnvelopeStore;
import io.parley.store.PartyStore;
import io.parley.store.UserStore;

/**
 * One party's node without its HTTP edge: identity, database, stores and the envelope gate. Thread-safe; the HTTP
 * server, the CLI and tests share one instance.
 */
public final class Node implements AutoCloseable {
    private final Path dir;
    private final NodeConfig config;
    private final SigningKey key;
    private final Clock clock;
    private final Database db;
    private final ChannelStore channels;
    private final EnvelopeStore envelopes;
    private final PartyStore parties;
    private final UserStore users;
    private final Authenticator authenticator;
    private final EnvelopeAcceptor acceptor;
    private final Composer composer;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The signed card; replaced when the base URL becomes known (port 0) — readers always see a whole card. */
    private final AtomicReference<PartyCard> card = new AtomicReference<>();

    private Node(Path dir, NodeConfig config, SigningKey key, Database db, Clock clock) {
        this.dir = dir;
        this.config = config;
        this.key = key;
        this.db = db;
        this.clock = clock;
        this.channels = new ChannelStore(db);
        this.envelopes = new EnvelopeStore(db);
        this.parties = new PartyStore(db);
        this.users = new UserStore(db);
        this.authenticator = new Authenticator(users);
        Counter accepted = Counter.builder("parley_envelopes_accepted").description("envelopes stored").register(metrics);
        this.acceptor = new EnvelopeAcceptor(channels, envelopes, parties, clock, stored -> accepted.increment());
        this.composer = new Composer(key, envelopes, acceptor, clock);
    }

    /** Opens the node in {@code dir}: reads config and key, opens and migrates the database. */
    public static Node open(Path dir, NodeConfig config, Clock clock) throws IOException {
        SigningKey key = KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE));
        if (!key.name().equals(config.origin())) {
            throw new IOException("the key in " + dir.resolve(NodeConfig.KEY_FILE) + " is for " + key.name() + ", but the node is " + config.origin());
        }
        Database db = Database.open(config.jdbcUrl(dir), config.dbUser(), config.dbPassword());
        return new Node(dir, config, key, db, clock);
    }

    /** Signs and publishes our card for {@code baseUrl}, and records it among known parties. */
    public PartyCard publishCard(String baseUrl) {
        PartyCard unsigned = new PartyCard(config.origin(), config.displayName(), config.organisationKind(), config.country(),
                key.verifierKey(), baseUrl, config.contacts(), config.validFrom(), null, null, null);
        PartyCard signed = PartyCard.sign(unsigned, key);
        card.set(signed);
        parties.put(signed.origin(), signed.verifierKey().encoded(), signed.fingerprint(), Json.write(signed.toJson()), clock.instant());
        return signed;
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

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public Database db() {
        return db;
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

    public Authenticator authenticator() {
        return authenticator;
    }

    public EnvelopeAcceptor acceptor() {
        return acceptor;
    }

    public Composer composer() {
        return composer;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public List<PartyStore.Party> knownParties() {
        return parties.all();
    }

    @Override
    public void close() {
        db.close();
        metrics.close();
    }
}
