package io.parley.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A pooled connection to the node's database, migrated to the newest schema on open, with tiny helpers so that the
 * stores hold SQL and mapping only. Thread-safe.
 */
public final class Database implements AutoCloseable {

    /** Maps one result row; may throw SQLException, which the helpers wrap. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work done on one connection inside one transaction. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final Dialect dialect;
    /** The URL and credentials the pool uses, for {@link #dedicatedConnection}. */
    private final String jdbcUrl;
    private final Properties credentials;
    /**
     * SQLite has one writer at a time and its busy handler retries by sleeping, so under load a writer can starve
     * (the log sequencer did). A fair in-process lock queues this process's write transactions in arrival order.
     * Null for PostgreSQL, which queues writers itself.
     */
    private final ReentrantLock sqliteWriter;

    private Database(HikariDataSource pool, Dialect dialect, String jdbcUrl, Properties credentials) {
        this.pool = pool;
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials;
        this.sqliteWriter = dialect == Dialect.SQLITE ? new ReentrantLock(true) : null;
    }

    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        Dialect dialect = Dialect.ofUrl(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(dialect.poolSize());
        cfg.setPoolName("parley-" + dialect.name().toLowerCase());
        // so that an operator counting connections in pg_stat_activity can tell the node's pooled ones apart
        if (dialect == Dialect.POSTGRESQL) cfg.addDataSourceProperty("ApplicationName", "parley");
        if (dialect == Dialect.SQLITE) {
            // WAL lets readers run beside the writer; synchronous=FULL makes every commit durable before it returns,
            // which is what lets us acknowledge a message once its transaction commits.
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("synchronous", "FULL");
            cfg.addDataSourceProperty("busy_timeout", "30000");
            cfg.addDataSourceProperty("foreign_keys", "true");
            // Take the write lock when a transaction begins: a deferred transaction that reads and then writes fails
            // with SQLITE_BUSY at once (no busy wait) if another connection committed in between.
            cfg.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        }
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            Migrations.migrate(ds, dialect);
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("cannot migrate database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        Properties credentials = new Properties();
        if (user != null) credentials.setProperty("user", user);
        if (password != null) credentials.setProperty("password", password);
        return new Database(ds, dialect, jdbcUrl, credentials);
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * A new connection outside the pool, for a holder of session state that must never be handed to another borrower
     * (a session advisory lock, LISTEN) and that must end with the session when its holder closes it. The caller owns
     * and closes it. Each counts against PostgreSQL's {@code max_connections} beside the pool (see
     * {@link Dialect#poolSize()}); on PostgreSQL it shows in {@code pg_stat_activity} as {@code applicationName}.
     */
    public Connection dedicatedConnection(String applicationName) throws SQLException {
        Properties props = new Properties();
        props.putAll(credentials);
        if (dialect == Dialect.POSTGRESQL) props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** Closes a {@link #dedicatedConnection}, ending its session; a failure to close means the session ended already. */
    public static void closeDedicated(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken connection: its session, and the session state with it, is gone either way
        }
    }

    public int update(String sql, Object... args) {
        return inTransaction(c -> update(c, sql, args));
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = pool.getConnection()) {
            return query(c, sql, mapper, args);
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        }
    }

    /** The most keys one {@link #queryIn} statement binds: far below either database's limit on parameters. */
    private static final int IN_CHUNK = 500;

    /**
     * Rows for many keys at once: {@code sql} holds {@code %s} where the {@code IN} list goes, and runs once per chunk of
     * {@value #IN_CHUNK} keys (a batch's hashes, say), so one call costs a few statements, not one per key.
     */
    public <T> List<T> queryIn(String sql, java.util.Collection<String> keys, RowMapper<T> mapper) {
        List<String> all = List.copyOf(keys);
        List<T> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            out.addAll(query(sql.formatted(String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))), mapper, chunk.toArray()));
        }
        return out;
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** Runs {@code work} in one transaction; commits before returning, rolls back on any exception. */
    public <T> T inTransaction(TransactionWork<T> work) {
        if (sqliteWriter == null) return transaction(work);
        sqliteWriter.lock();
        try {
            return transaction(work);
        } finally {
            sqliteWriter.unlock();
        }
    }

    private <T> T transaction(TransactionWork<T> work) {
        try (Connection c = pool.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Serialises the transaction on {@code c} with every other transaction that takes the same {@code key}, until it
     * commits or rolls back. On PostgreSQL a transaction-scoped advisory lock; on SQLite nothing, because each write
     * transaction already holds the database's one write lock from its start (IMMEDIATE), across processes too. The
     * one place this differs between the backends, so stores that read-then-write a head (the audit chain, a
     * witness's latest checkpoint) stay free of dialect checks.
     */
    public void serialise(Connection c, long key) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) query(c, "SELECT pg_advisory_xact_lock(?)", rs -> null, key);
    }

    /** True when {@code e} is a unique or primary key violation, the signal that another writer won a race. */
    public boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                if ("23505".equals(s.getSQLState())) return true; // PostgreSQL unique_violation
                if (s.getErrorCode() == 19 && s.getMessage() != null && s.getMessage().contains("UNIQUE")) return true; // SQLITE_CONSTRAINT
            }
        }
        return false;
    }

    public boolean healthy() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public void close() {
        pool.close();
    }
}
