package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The schema's Flyway set-up: one set of migrations under {@code db/migration} that both dialects run, with
 * placeholders for the few words of SQL that differ ({@link Dialect#migrationPlaceholders()}).
 *
 * <p>Until issue 12 each dialect had its own copy of every migration. Flyway checksums a versioned migration's text
 * <em>before</em> it replaces placeholders (Flyway 11's {@code SqlMigrationResolver}; only repeatable migrations are
 * checksummed after, so that a changed value re-runs them). A shared file thus has one checksum for both dialects,
 * and where the old copies differed it matches neither: a database they migrated would fail validation and the node
 * would not start. Before migrating, {@link #migrate} therefore accepts the old copies' checksums: a history row whose
 * checksum is exactly that of the old file of its version, for this dialect, is given the shared file's checksum.
 * Nothing else is touched; a migration edited after it ran still stops the node, as Flyway intends.
 */
final class Migrations {
    private static final String LOCATION = "classpath:db/migration";

    /**
     * Flyway's checksums of the per-dialect files that the shared ones replaced, by version. Only versions whose
     * copies differed from the shared file are here (the others kept their text, so their checksums did not change).
     * PostgreSQL's V8 changed its statements, not only words: SQLite's rebuild of the two tables became the one V8.
     */
    private static final Map<Dialect, Map<String, Integer>> BEFORE_SHARED = Map.of(
            Dialect.SQLITE, Map.of(
                    "1", 174219839, "2", -538922762, "3", -2094689385, "4", 1187693536, "5", -659991422,
                    "9", -1594622746, "20", 1678849199),
            Dialect.POSTGRESQL, Map.of(
                    "1", -78374586, "2", -315168592, "3", -91457397, "4", -996615930, "5", -1671093253,
                    "8", 1770607237, "9", 1213705290, "20", -707200919));

    private Migrations() {}

    /** The checksums of the old per-dialect files that differed from the shared ones, by version. */
    static Map<String, Integer> checksumsBeforeShared(Dialect dialect) {
        return BEFORE_SHARED.get(dialect);
    }

    /** Flyway configured for this schema on {@code dialect}; add the data source. */
    static FluentConfiguration configure(Dialect dialect) {
        return Flyway.configure().locations(LOCATION).placeholders(dialect.migrationPlaceholders());
    }

    /**
     * Migrates the database to the newest schema. Several instances may run this at once on one PostgreSQL database:
     * the checksum update is a compare-and-set on each row, and Flyway serialises the migrations with a lock.
     */
    static void migrate(DataSource ds, Dialect dialect) {
        Flyway flyway = configure(dialect).dataSource(ds).load();
        acceptOldChecksums(flyway, ds, dialect);
        flyway.migrate();
    }

    private static void acceptOldChecksums(Flyway flyway, DataSource ds, Dialect dialect) {
        Map<String, Integer> old = BEFORE_SHARED.get(dialect);
        List<MigrationInfo> toAccept = Arrays.stream(flyway.info().applied())
                .filter(m -> m.getVersion() != null && m.getResolvedChecksum() != null)
                .filter(m -> m.getAppliedChecksum() != null && m.getAppliedChecksum().equals(old.get(m.getVersion().getVersion())))
                .toList();
        if (toAccept.isEmpty()) return; // a new database, or one already accepted: no history row to touch
        String sql = "UPDATE " + flyway.getConfiguration().getTable() + " SET checksum = ? WHERE version = ? AND checksum = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (MigrationInfo m : toAccept) {
                ps.setInt(1, m.getResolvedChecksum());
                ps.setString(2, m.getVersion().getVersion());
                ps.setInt(3, m.getAppliedChecksum());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot accept the checksums of the per-dialect migrations: " + e.getMessage(), e);
        }
    }
}
