package io.parley.cli;

import java.nio.file.Path;

import io.parley.node.NodeConfig;
import io.parley.store.Database;

/**
 * The database of a node directory, opened for one offline command on the node's host (accounts, tokens, the audit
 * trail): migrated like at start, closed when the command is done.
 */
final class NodeDatabase {
    @FunctionalInterface
    interface Work<T> {
        T run(Database db, NodeConfig cfg) throws Exception;
    }

    private NodeDatabase() {}

    static <T> T with(Path dir, Work<T> work) throws Exception {
        NodeConfig cfg = NodeConfig.load(dir);
        try (Database db = Database.open(cfg.jdbcUrl(dir), cfg.dbUser(), cfg.dbPassword())) {
            return work.run(db, cfg);
        }
    }
}
