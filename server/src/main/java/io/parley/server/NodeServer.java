package io.parley.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.parley.log.CosignatureVerifier;
import io.parley.log.FormatException;
import io.parley.transparency.CosignatureCollector;

import io.parley.api.HttpServer;
import io.parley.cases.CaseBook;
import io.parley.cases.DeadlineClock;
import io.parley.cases.Notifier;
import io.parley.federation.Federation;
import io.parley.node.Node;
import io.parley.node.NodeConfig;

/** A running node: opened, listening, with its card published for the address it actually listens on. */
public final class NodeServer implements AutoCloseable {
    /** How often peers are asked to cosign our newest checkpoint (a new checkpoint is pushed within one interval). */
    public static final Duration COSIGN_INTERVAL = Duration.ofMillis(500);
    /** How often deadlines are checked; a missed deadline escalates within this long. */
    public static final Duration DEADLINE_TICK = Duration.ofSeconds(1);
    /** How long committing the audit head waits for the log to sequence it. */
    static final Duration AUDIT_COMMIT_WAIT = Duration.ofSeconds(5);

    private final Node node;
    private final Federation federation;
    private final HttpServer http;
    private final CosignatureCollector cosigner;

    private final CaseBook cases;
    private final Notifier notifier;
    private final DeadlineClock deadlines;
    private final io.parley.audit.AuditCommitter auditCommitter;

    private NodeServer(Node node, Federation federation, HttpServer http, CaseBook cases, Notifier notifier, DeadlineClock deadlines,
                       io.parley.audit.AuditCommitter auditCommitter) {
        this.node = node;
        this.federation = federation;
        this.http = http;
        this.cases = cases;
        this.notifier = notifier;
        this.deadlines = deadlines;
        this.auditCommitter = auditCommitter;
        this.cosigner = new CosignatureCollector(node.log(), () -> witnessPeers(node), node.clock(), node.random(), COSIGN_INTERVAL,
                node.peerHttp(Duration.ofSeconds(2)).build(), node::runsDuties);
    }

    /** Peers whose cards name a witness key; others cannot cosign for us. */
    static List<CosignatureCollector.Peer> witnessPeers(Node node) {
        List<CosignatureCollector.Peer> out = new ArrayList<>();
        for (Node.Peer p : node.peers()) {
            if (p.card() == null || p.card().witnessKey() == null) continue;
            try {
                out.add(new CosignatureCollector.Peer(p.origin(), p.baseUrl(), CosignatureVerifier.parse(p.card().witnessKey())));
            } catch (FormatException e) {
                // a card with an unusable witness key: that peer just cannot witness for us
            }
        }
        return out;
    }

    public CosignatureCollector cosigner() {
        return cosigner;
    }

    public static NodeServer start(Path dir, Clock clock) throws IOException {
        return start(dir, NodeConfig.load(dir), clock);
    }

    /** Starts with {@code config} (port 0 picks a free port; the card then names the real one). */
    public static NodeServer start(Path dir, NodeConfig config, Clock clock) throws IOException {
        return start(dir, config, clock, Federation.Settings.DEFAULT);
    }

    public static NodeServer start(Path dir, NodeConfig config, Clock clock, Federation.Settings settings) throws IOException {
        Node node = Node.open(dir, config, clock);
        Federation federation = new Federation(node, settings);
        CaseBook cases = new CaseBook(node, node.caseStore());
        var practice = new io.parley.practice.PracticeStore(node.db());
        var contacts = new io.parley.practice.ContactConfirmations(node, practice);
        node.onAccepted(contacts::record);
        HttpServer http;
        try {
            http = HttpServer.start(node, federation, cases, config.bind(), config.port());
        } catch (RuntimeException e) {
            federation.close();
            node.close();
            throw new IOException("cannot listen on " + config.bind() + ":" + config.port() + ": " + rootMessage(e), e);
        }
        String base = config.port() == 0 ? config.scheme() + "://" + config.bind() + ":" + http.port() : config.baseUrl();
        node.publishCard(base);
        federation.handOver().announce(); // after a key rotation: tell every channel, before anything else we sign there
        Notifier notifier = new Notifier(new io.parley.cases.NotificationStore(node.db()), Notifier.load(dir), clock,
                io.parley.web.i18n.Lang.of(node.config().language()).orElse(io.parley.web.i18n.Lang.DEFAULT), node.users()::language);
        DeadlineClock deadlines = new DeadlineClock(node, cases, notifier, DEADLINE_TICK);
        var audit = new io.parley.audit.AuditCommitter(node.audit(), node.log(), io.parley.audit.AuditCommitter.Settings.load(dir), AUDIT_COMMIT_WAIT,
                node.random(), node::runsDuties);
        var drills = new io.parley.practice.PracticeClock(node, new io.parley.practice.PingExercises(node, cases, practice),
                new io.parley.practice.ContactReminders(node, contacts, practice, notifier), PRACTICE_TICK);
        NodeServer server = new NodeServer(node, federation, http, cases, notifier, deadlines, audit);
        server.practice = drills;
        server.contacts = contacts;
        return server;
    }

    /** How often the charter's schedules (ping exercises, contact reminders) are checked. */
    public static final Duration PRACTICE_TICK = Duration.ofSeconds(30);

    private io.parley.practice.PracticeClock practice;
    private io.parley.practice.ContactConfirmations contacts;

    /** The charter's schedules on this node: ping exercises and contact reminders. */
    public io.parley.practice.PracticeClock practice() {
        return practice;
    }

    /** Points of contact: our re-confirmations and every member's standing. */
    public io.parley.practice.ContactConfirmations contacts() {
        return contacts;
    }

    public Node node() {
        return node;
    }

    public HttpServer http() {
        return http;
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return node.card().baseUrl();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    public Federation federation() {
        return federation;
    }

    public CaseBook cases() {
        return cases;
    }

    public Notifier notifier() {
        return notifier;
    }

    public DeadlineClock deadlines() {
        return deadlines;
    }

    /** Commits the audit trail's head to the log, batched; at close, once more. */
    public io.parley.audit.AuditCommitter auditCommitter() {
        return auditCommitter;
    }

    @Override
    public void close() {
        if (practice != null) practice.close();
        deadlines.close();
        cosigner.close();
        federation.close();
        http.close();
        auditCommitter.close(); // after the last request that could be audited, before the log stops
        node.close();
    }
}
