package io.parley.store;

import java.util.Map;

/** The few things that differ between our two SQL backends; the one place for them. */
public enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "CAST(strftime('%s', 'now') AS INTEGER) * 1000"),
    POSTGRESQL("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", "CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)");

    private final String autoincrementKey;
    private final String blob;
    private final String nowMillis;

    Dialect(String autoincrementKey, String blob, String nowMillis) {
        this.autoincrementKey = autoincrementKey;
        this.blob = blob;
        this.nowMillis = nowMillis;
    }

    public static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException("unsupported database URL (use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB): " + jdbcUrl);
    }

    /**
     * The most pooled connections one instance opens. SQLite: sixteen. It allows one writer at a time, but in WAL mode
     * readers run beside the writer, and this process's writers already queue in order on {@link Database}'s fair
     * lock before they take SQLite's; what the pool bounds is readers. With four, the Composer's group leader and the
     * inbox's checks waited for a connection behind every other reader while holding their place in line, and a
     * group commit of writers degenerated into one envelope per transaction. PostgreSQL: ten, shared by HTTP requests (inbox, API, web, TAXII; each holds one only
     * for its queries or its one transaction) and the background workers (delivery, catch-up, cosignatures,
     * evidence, notifications, the sequencer's reads and commits). More would not make the node faster: a writer
     * spends its transaction waiting for the commit's flush, which concurrent commits share, and PostgreSQL's
     * throughput peaks at a few active connections per core of the database server; beyond ten, requests queue for
     * a connection (the pool's wait) instead of for the server's locks and disks. Three more connections per
     * instance live outside the pool ({@link Database#dedicatedConnection}): the advisory locks of the sequencer and
     * of the node's duties ({@link Leadership.Role}) and the log bell's LISTEN. An instance on PostgreSQL therefore
     * counts at most 13 against {@code max_connections}.
     */
    int poolSize() {
        return this == SQLITE ? 16 : 10;
    }

    /**
     * The values of the Flyway placeholders in the migrations (see db/migration/README.md): the SQL that differs
     * between the two dialects, written here once. Every dialect defines every name, so a migration that uses one runs
     * on both. Never change a value: Flyway checksums a migration's text before it replaces the placeholders, so an
     * edited value would change what an old migration does on new databases only, and nothing would notice.
     */
    Map<String, String> migrationPlaceholders() {
        return Map.of(
                "autoinc", autoincrementKey, // a 64-bit integer primary key that numbers new rows itself
                "blob", blob, // raw bytes
                "now_millis", nowMillis); // the time of the migration, in whole seconds, as epoch milliseconds
    }
}
