package io.parley.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.parley.node.NodeConfig;
import io.parley.server.NodeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a node until interrupted.")
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Node directory (made by 'parley init').")
    Path dir;

    @Option(names = "--port", description = "Port to listen on (overrides parley.json).")
    Integer port;

    @Option(names = "--db", description = "JDBC URL of a PostgreSQL database (overrides parley.json).")
    String db;

    @Override
    public Integer call() throws Exception {
        NodeConfig cfg = NodeConfig.load(dir);
        if (port != null) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535");
            cfg = cfg.withPort(port);
        }
        if (db != null) cfg = cfg.withDb(db, System.getenv("PARLEY_DB_USER"), System.getenv("PARLEY_DB_PASSWORD"));
        NodeServer server = NodeServer.start(dir, cfg, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        var out = spec.commandLine().getOut();
        out.println(server.node().origin() + " listening on " + server.baseUrl());
        out.println("fingerprint: " + server.node().key().verifierKey().fingerprint());
        stopped.await();
        return 0;
    }
}
