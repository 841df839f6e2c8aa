package io.parley.store;

/** The few things that differ between our two SQL backends. */
public enum Dialect {
    SQLITE, POSTGRESQL;

    public static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException("unsupported database URL (use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB): " + jdbcUrl);
    }

    /** SQLite allows one writer at a time; a small pool avoids piling writers onto its lock. */
    int poolSize() {
        return this == SQLITE ? 4 : 10;
    }
}
