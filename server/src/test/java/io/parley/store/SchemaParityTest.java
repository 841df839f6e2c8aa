package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.testing.TestDatabases;

/**
 * The one set of migrations builds the same schema on SQLite and on PostgreSQL: the same tables, the same columns in
 * the same order with corresponding types and nullability, the same primary keys, and the same indexes and unique
 * constraints by their columns. Always runs on both databases, since comparing them is the point.
 */
class SchemaParityTest {
    @TempDir Path tmp;

    @Test
    void sqliteAndPostgresqlBuildTheSameSchema() {
        try (Database sqlite = fresh(TestDatabases.SQLITE); Database pg = fresh(TestDatabases.POSTGRESQL)) {
            LiveSchema a = LiveSchema.read(sqlite), b = LiveSchema.read(pg);
            assertTrue(a.tables().keySet().containsAll(Set.of("envelopes", "log_entries", "cases", "escalations", "evidence_bundles", "users", "api_tokens")),
                    "the whole schema was read: " + a.tables().keySet());
            assertTrue(a.tables().values().stream().anyMatch(t -> t.columns().stream().anyMatch(c -> c.type().equals("int64 numbered")))
                    && a.tables().values().stream().anyMatch(t -> t.indexes().stream().anyMatch(LiveSchema.Index::unique)),
                    "numbered keys and unique indexes are seen, so their absence on one side would show");
            assertEquals(List.of(), LiveSchema.differences(a, b));
        }
    }

    @Test
    void aColumnOrIndexOnOneDatabaseOnlyIsReported() {
        try (Database sqlite = fresh(TestDatabases.SQLITE); Database pg = fresh(TestDatabases.POSTGRESQL)) {
            pg.update("ALTER TABLE cases ADD COLUMN assignee TEXT");
            sqlite.update("CREATE UNIQUE INDEX users_created ON users (created_at)");
            List<String> found = LiveSchema.differences(LiveSchema.read(sqlite), LiveSchema.read(pg));
            assertEquals(2, found.size(), found.toString());
            assertTrue(found.get(0).startsWith("cases: columns") && found.get(0).contains("assignee"), found.get(0));
            assertTrue(found.get(1).startsWith("users: indexes") && found.get(1).contains("created_at"), found.get(1));
        }
    }

    @Test
    void aTypeOrNullabilityThatDiffersIsReported() {
        try (Database sqlite = fresh(TestDatabases.SQLITE); Database pg = fresh(TestDatabases.POSTGRESQL)) {
            pg.update("ALTER TABLE api_tokens ALTER COLUMN label DROP NOT NULL");
            pg.update("ALTER TABLE api_tokens ALTER COLUMN created_at TYPE INTEGER");
            List<String> found = LiveSchema.differences(LiveSchema.read(sqlite), LiveSchema.read(pg));
            assertEquals(1, found.size(), found.toString());
            assertTrue(found.get(0).contains("Column[name=label, type=text, nullable=true]")
                    && found.get(0).contains("Column[name=created_at, type=int32, nullable=false]"), found.get(0));
        }
    }

    private Database fresh(String backend) {
        return Database.open(TestDatabases.freshUrl(backend, tmp));
    }
}
