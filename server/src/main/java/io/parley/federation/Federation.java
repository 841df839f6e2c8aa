package io.parley.federation;

import java.time.Duration;
import java.util.Optional;

import io.parley.envelope.Kind;
import io.parley.node.Node;
import io.parley.store.LinkStore;
import io.parley.store.OutboxStore;
import io.parley.worker.Backoff;

/** A node's federation parts, started and stopped together: peering, delivery, catch-up and the line's record. */
public final class Federation implements AutoCloseable {

    /**
     * Timing settings; tests shorten them, operators rarely need to.
     *
     * @param outboxScan how often the outbox is looked at without a wake-up (a safety net: composing here, and the log
     *                   sequencing what another instance composed, wake the delivery at once)
     */
    public record Settings(Backoff backoff, Duration catchUpInterval, Duration requestTimeout, Duration outboxScan) {
        public static final Settings DEFAULT = new Settings(Backoff.DEFAULT, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1));

        /** These settings with the outbox looked at every {@code scan} without a wake-up. */
        public Settings withOutboxScan(Duration scan) {
            return new Settings(backoff, catchUpInterval, requestTimeout, scan);
        }
    }

    private final Node node;
    private final PeerClient client;
    private final PeerDirectory peers;
    private final OutboxStore outbox;
    private final LinkStore links;
    private final DeliveryWorker delivery;
    private final CatchUp catchUp;
    private final KeyHandOver handOver;

    public Federation(Node node, Settings settings) {
        this.node = node;
        this.client = new PeerClient(node.key(), node.clock(), settings.requestTimeout(), node.peerHttp(Duration.ofSeconds(2)).build());
        this.peers = new PeerDirectory(node, client);
        this.outbox = new OutboxStore(node.db());
        this.links = new LinkStore(node.db());
        this.delivery = new DeliveryWorker(outbox, links, client, this::peerUrl, node::trustedLogKey, settings.backoff(), node.clock(),
                node.random(), node::runsDuties, settings.outboxScan(),
                io.micrometer.core.instrument.Counter.builder("parley_outbox_sent")
                        .description("envelopes this instance posted, or tried to post, to peers' inboxes, resends included").register(node.metrics()));
        // What another instance of this node composed reaches the log here (the sequencer, or its announcement): the
        // instance on duty delivers it now rather than at its next scan. Only a shared PostgreSQL has other instances;
        // on SQLite everything queued was composed here, which wakes the delivery itself, and a wake-up per sequencer
        // round would cost an outbox query each for nothing.
        if (node.db().dialect() == io.parley.store.Dialect.POSTGRESQL) node.log().onSequenced(delivery::lookSoon);
        this.handOver = new KeyHandOver(node, peers, this::gapSeen);
        this.catchUp = new CatchUp(node, client, this::peerUrl, settings.catchUpInterval(), handOver);
        node.onAccepted(stored -> {
            if (stored.envelope().from().equals(node.origin())) {
                delivery.poke();
            } else if (stored.envelope().kind() == Kind.CHARTER) {
                catchUp.request(stored.envelope().channel(), stored.envelope().from());
            }
        });
    }

    /** Where to reach a peer: the base URL in a charter that names it, or in its card. */
    public Optional<String> peerUrl(String origin) {
        return node.peers().stream().filter(p -> p.origin().equals(origin)).map(Node.Peer::baseUrl).findFirst()
                .or(() -> node.knownCard(origin).map(io.parley.identity.PartyCard::baseUrl));
    }

    /** A peer posted to our inbox: the line to it works, so retry what we hold for it now. */
    public void heardFrom(String origin) {
        delivery.peerIsUp(origin);
    }

    public void gapSeen(String channel, String sender) {
        catchUp.request(channel, sender);
    }

    public PeerDirectory peers() {
        return peers;
    }

    /** Key rotations in band: following peers' hand-overs, holding what their new keys signed, announcing ours. */
    public KeyHandOver handOver() {
        return handOver;
    }

    public OutboxStore outbox() {
        return outbox;
    }

    public LinkStore links() {
        return links;
    }

    public CatchUp catchUp() {
        return catchUp;
    }

    public DeliveryWorker delivery() {
        return delivery;
    }

    @Override
    public void close() {
        catchUp.close();
        delivery.close();
    }
}
