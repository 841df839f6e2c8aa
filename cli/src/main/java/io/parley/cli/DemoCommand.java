package io.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.parley.server.DemoNetwork;
import io.parley.server.NodeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a local demo network of three nodes (SQLite, loopback only) until interrupted.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "8441", description = "Port of the first node; the others take the next ports (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", description = "Keep the demo nodes in this directory (default: a new temporary directory).")
    Path dir;

    @Option(names = "--tls", description = "Serve and federate over HTTPS, with certificates from a demo CA made in the demo directory (its path is printed as 'ca: PATH').")
    boolean tls;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65533) throw new IllegalArgumentException("--port must be 1..65533");
        Path root = dir != null ? dir : Files.createTempDirectory("parley-demo-");
        DemoNetwork demo = DemoNetwork.start(root, port, Clock.systemUTC(), tls);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }));
        var out = spec.commandLine().getOut();
        print(out, demo, root);
        out.flush();
        stopped.await();
        return 0;
    }

    /** What the operator reads: the nodes, the login and, with --tls, the CA certificate to trust (DESIGN §6). */
    static void print(java.io.PrintWriter out, DemoNetwork demo, Path root) {
        out.println("Parley demo network (data in " + root + ")");
        for (NodeServer n : demo.nodes()) {
            out.println("  " + n.node().origin() + "  " + n.baseUrl() + "  fingerprint " + n.node().key().verifierKey().fingerprint());
        }
        out.println("login: " + DemoNetwork.USER + " / " + demo.password());
        out.println("viewer: " + DemoNetwork.VIEWER + " / " + demo.viewerPassword());
        demo.ca().ifPresent(ca -> out.println("ca: " + ca));
        out.println("Open " + demo.nodes().get(0).baseUrl() + "/ in a browser for the duty desk (web UI: sign in with the same login"
                + (demo.ca().isPresent() ? "; import the ca certificate into the browser first" : "") + ").");
        out.println("Press Ctrl-C to stop.");
    }
}
