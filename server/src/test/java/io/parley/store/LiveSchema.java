package io.parley.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A database's schema as JDBC's metadata reports it, in words that do not depend on the dialect, so that the SQLite
 * and the PostgreSQL schema can be compared: the tables, their columns in order with a type and nullability, the
 * primary key, and the indexes (unique constraints included) by their columns.
 */
record LiveSchema(Map<String, Table> tables) {

    record Column(String name, String type, boolean nullable) {}

    record Index(boolean unique, List<String> columns) {}

    record Table(List<Column> columns, List<String> primaryKey, List<Index> indexes) {}

    /**
     * Each dialect's type names and the type they stand for. {@code +auto} marks a column the database numbers
     * itself ({@code ${autoinc}}). A type missing here fails the read: add it, with its counterpart, on purpose.
     */
    private static final Map<Dialect, Map<String, String>> TYPES = Map.of(
            Dialect.SQLITE, Map.of(
                    "TEXT", "text",
                    "INTEGER", "int32",
                    "BIGINT", "int64",
                    "BLOB", "bytes",
                    "INTEGER+auto", "int64 numbered"), // SQLite's integer key is the 64-bit rowid
            Dialect.POSTGRESQL, Map.of(
                    "text", "text",
                    "int4", "int32",
                    "int8", "int64",
                    "bytea", "bytes",
                    "int8+auto", "int64 numbered"));

    static LiveSchema read(Database db) {
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String schema = c.getSchema();
            Map<String, Table> tables = new TreeMap<>();
            for (String name : tableNames(md, schema)) {
                List<String> primaryKey = primaryKey(md, schema, name);
                tables.put(name, new Table(columns(md, schema, name, primaryKey, db.dialect()), primaryKey, indexes(md, schema, name, primaryKey)));
            }
            return new LiveSchema(tables);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema", e);
        }
    }

    /** What differs between {@code a} and {@code b}, one line per table part; empty when they are the same. */
    static List<String> differences(LiveSchema a, LiveSchema b) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(a.tables.keySet());
        names.addAll(b.tables.keySet());
        for (String name : names) {
            Table x = a.tables.get(name), y = b.tables.get(name);
            if (x == null || y == null) {
                out.add(name + ": only in " + (x == null ? "the second" : "the first"));
                continue;
            }
            if (!x.columns.equals(y.columns)) out.add(name + ": columns " + x.columns + " vs " + y.columns);
            if (!x.primaryKey.equals(y.primaryKey)) out.add(name + ": primary key " + x.primaryKey + " vs " + y.primaryKey);
            if (!x.indexes.equals(y.indexes)) out.add(name + ": indexes " + x.indexes + " vs " + y.indexes);
        }
        return out;
    }

    /** This schema with the columns of {@code table} in name order, for where only their order is known to differ. */
    LiveSchema withColumnsInNameOrder(String table) {
        Map<String, Table> copy = new TreeMap<>(tables);
        Table t = copy.get(table);
        List<Column> sorted = t.columns.stream().sorted(Comparator.comparing(Column::name)).toList();
        copy.put(table, new Table(sorted, t.primaryKey, t.indexes));
        return new LiveSchema(copy);
    }

    private static List<String> tableNames(DatabaseMetaData md, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                // Flyway's own table and SQLite's bookkeeping are not our schema
                if (!name.equals("flyway_schema_history") && !name.startsWith("sqlite_")) names.add(name);
            }
        }
        return names;
    }

    private static List<Column> columns(DatabaseMetaData md, String schema, String table, List<String> primaryKey, Dialect dialect) throws SQLException {
        TreeMap<Integer, Column> byPosition = new TreeMap<>();
        try (ResultSet rs = md.getColumns(null, schema, table, "%")) {
            while (rs.next()) {
                boolean numbered = "YES".equals(rs.getString("IS_AUTOINCREMENT"));
                String declared = rs.getString("TYPE_NAME") + (numbered ? "+auto" : "");
                String type = TYPES.get(dialect).get(declared);
                if (type == null) throw new IllegalStateException(dialect + " type " + declared + " of " + table + " is not in LiveSchema.TYPES");
                // PostgreSQL makes every key column NOT NULL. SQLite reports a key column nullable unless it says NOT
                // NULL, and does let a NULL into a text key (a quirk it keeps for compatibility; an integer key gets the
                // next rowid instead). Our code never writes a NULL key, so a key column counts as NOT NULL on both.
                String name = rs.getString("COLUMN_NAME");
                boolean nullable = !primaryKey.contains(name) && "YES".equals(rs.getString("IS_NULLABLE"));
                byPosition.put(rs.getInt("ORDINAL_POSITION"), new Column(name, type, nullable));
            }
        }
        return List.copyOf(byPosition.values());
    }

    private static List<String> primaryKey(DatabaseMetaData md, String schema, String table) throws SQLException {
        TreeMap<Integer, String> bySequence = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) bySequence.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
        }
        return List.copyOf(bySequence.values());
    }

    /**
     * The indexes by their columns, sorted. The primary key's own index is left out: PostgreSQL lists one for every
     * key, SQLite none for an integer key (the rowid), and the key itself is compared already.
     */
    private static List<Index> indexes(DatabaseMetaData md, String schema, String table, List<String> primaryKey) throws SQLException {
        Map<String, TreeMap<Integer, String>> columns = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(null, schema, table, false, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) continue;
                columns.computeIfAbsent(name, n -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        return columns.entrySet().stream()
                .map(e -> new Index(unique.get(e.getKey()), List.copyOf(e.getValue().values())))
                .filter(i -> !(i.unique() && i.columns().equals(primaryKey)))
                .sorted(Comparator.comparing((Index i) -> i.columns().toString()).thenComparing(Index::unique))
                .toList();
    }
}
