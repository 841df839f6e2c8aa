package io.parley.taxii;

import io.javalin.Javalin;
import io.parley.node.Node;

/**
 * Evidence exchange on a node (issue 7): wires the evidence parts, the TAXII 2.1 server, the evidence API and the
 * background indexer into the HTTP server. {@code HttpServer.start} calls {@link #register} once; the worker stops
 * when the server stops.
 */
public final class EvidenceExchange {
    private final Node node;
    private final Evidence evidence;
    private final TaxiiService taxii;
    private final EvidenceWorker worker;

    public EvidenceExchange(Node node) {
        this.node = node;
        this.evidence = node.evidence();
        this.taxii = new TaxiiService(evidence, node.clock());
        this.worker = new EvidenceWorker(node, evidence);
    }

    public void register(Javalin app) {
        new EvidenceRoutes(node, evidence).register(app);
        new TaxiiRoutes(node, evidence, taxii).register(app);
        new MispFeedRoutes(node, evidence).register(app);
        node.onAccepted(stored -> worker.wake());
        app.events(ev -> {
            ev.serverStarted(worker::start);
            ev.serverStopping(worker::close);
        });
    }

    public Evidence evidence() {
        return evidence;
    }

    public TaxiiService taxii() {
        return taxii;
    }
}
