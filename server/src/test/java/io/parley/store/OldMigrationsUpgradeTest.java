package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.testing.TestDatabases;

/**
 * A database migrated by the per-dialect migrations of before issue 12 still starts, with the schema of a new one.
 * Each old copy was the shared file with its placeholders written out in its dialect's words, except PostgreSQL's V8,
 * kept under {@code db/migration-before-placeholders}. Flyway checksums a migration before it replaces placeholders,
 * so the shared files have new checksums, and {@link Migrations} accepts exactly the old ones.
 */
class OldMigrationsUpgradeTest {
    /** The newest version before the migrations were shared. */
    private static final String LAST_PER_DIALECT = "20";

    @TempDir Path tmp;

    static Stream<String> backends() {
        return TestDatabases.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theAcceptedChecksumsAreThoseOfTheOldCopiesThatDiffer(String backend) throws Exception {
        Dialect dialect = Dialect.valueOf(backend.toUpperCase());
        String url = TestDatabases.freshUrl(backend, tmp);
        Map<String, Integer> shared = checksums(Migrations.configure(dialect).dataSource(url, null, null).load());
        Map<String, Integer> differing = new TreeMap<>(checksums(oldFlyway(url, dialect)));
        differing.entrySet().removeIf(e -> e.getValue().equals(shared.get(e.getKey())));
        assertFalse(differing.isEmpty());
        assertEquals(differing, new TreeMap<>(Migrations.checksumsBeforeShared(dialect)));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aDatabaseMigratedByTheOldFilesStartsAndEndsWithTheSchemaOfANewOne(String backend) throws Exception {
        Dialect dialect = Dialect.valueOf(backend.toUpperCase());
        String url = TestDatabases.freshUrl(backend, tmp);
        oldFlyway(url, dialect).migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("INSERT INTO users (username, password_hash, role, created_at, disabled) VALUES ('desk', 'x', 'officer', 0, 0)");
        }
        try (Database upgraded = Database.open(url); Database fresh = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            assertTrue(Migrations.configure(dialect).dataSource(upgraded.dataSource()).load().validateWithResult().validationSuccessful,
                    "every recorded checksum is now that of the shared file");
            assertEquals(List.of("desk"), upgraded.query("SELECT username FROM users", rs -> rs.getString(1)));
            LiveSchema was = LiveSchema.read(upgraded), is = LiveSchema.read(fresh);
            if (dialect == Dialect.POSTGRESQL) {
                // PostgreSQL's old V8 added escalations.channel at the end; the shared V8 rebuilds the table with it
                // first, as SQLite always did. Statements name their columns, so only the order differs.
                was = was.withColumnsInNameOrder("escalations");
                is = is.withColumnsInNameOrder("escalations");
            }
            assertEquals(List.of(), LiveSchema.differences(was, is));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aMigrationEditedAfterItRanStillStopsTheNode(String backend) throws Exception {
        String url = TestDatabases.freshUrl(backend, tmp);
        Database.open(url).close();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '4'");
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(url).close());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void instancesSharingOnePostgresqlUpgradeItTogether() throws Exception {
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        oldFlyway(url, Dialect.POSTGRESQL).migrate();
        int instances = 3;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<Database>> opened = new ArrayList<>();
            Callable<Database> open = () -> {
                start.await();
                return Database.open(url);
            };
            for (int i = 0; i < instances; i++) opened.add(pool.submit(open));
            start.countDown();
            for (Future<Database> f : opened) f.get().close();
        } finally {
            pool.shutdown();
        }
        try (Database db = Database.open(url)) {
            assertEquals(List.of(), db.query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version HAVING COUNT(*) > 1",
                    rs -> rs.getString(1)), "each migration ran once");
            assertTrue(Migrations.configure(Dialect.POSTGRESQL).dataSource(db.dataSource()).load().validateWithResult().validationSuccessful);
        }
    }

    /**
     * Flyway over the migrations as they were before they were shared, up to the last per-dialect version: the shared
     * files with this dialect's words in place of the placeholders, and the old copies that differed in more.
     */
    private Flyway oldFlyway(String url, Dialect dialect) throws IOException, URISyntaxException {
        Path dir = Files.createTempDirectory(tmp, "old-" + dialect);
        try (Stream<Path> shared = Files.list(classpathDir("db/migration"))) {
            for (Path f : shared.filter(f -> f.toString().endsWith(".sql")).toList()) {
                String sql = Files.readString(f);
                for (var p : dialect.migrationPlaceholders().entrySet()) sql = sql.replace("${" + p.getKey() + "}", p.getValue());
                Files.writeString(dir.resolve(f.getFileName()), sql);
            }
        }
        Path copies = classpathDir("db/migration-before-placeholders/" + dialect.name().toLowerCase());
        if (copies != null) {
            try (Stream<Path> old = Files.list(copies)) {
                for (Path f : old.toList()) Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return Flyway.configure().dataSource(url, null, null).locations("filesystem:" + dir).target(LAST_PER_DIALECT).load();
    }

    private static Map<String, Integer> checksums(Flyway flyway) {
        Map<String, Integer> out = new TreeMap<>();
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getVersion() != null && m.getVersion().compareTo(MigrationVersion.fromVersion(LAST_PER_DIALECT)) <= 0) {
                out.put(m.getVersion().getVersion(), m.getResolvedChecksum());
            }
        }
        return out;
    }

    /** A directory on the test class path, or null if there is none of that name. */
    private static Path classpathDir(String name) throws URISyntaxException {
        URL url = OldMigrationsUpgradeTest.class.getClassLoader().getResource(name);
        return url == null ? null : Path.of(url.toURI());
    }
}
