package io.parley.store;

import java.util.Arrays;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** A database left at an earlier schema, to show what a migration does to the data of a node that upgrades. */
final class EarlierSchema {
    private EarlierSchema() {}

    /** Migrates the new database at {@code url} up to the newest migration older than {@code version}. */
    static void justBefore(String url, String version) {
        FluentConfiguration config = Migrations.configure(Dialect.ofUrl(url)).dataSource(url, null, null);
        String before = Arrays.stream(config.load().info().all()).map(MigrationInfo::getVersion)
                .filter(v -> v.compareTo(MigrationVersion.fromVersion(version)) < 0)
                .max(Comparable::compareTo).orElseThrow().getVersion();
        config.target(before).load().migrate();
    }
}
