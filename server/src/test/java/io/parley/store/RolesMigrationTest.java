package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.testing.TestDatabases;

/**
 * Upgrading a node from before roles (V15): an existing officer keeps handling every channel (grant {@code *}), an
 * existing admin keeps its role, and no account comes out disabled.
 */
class RolesMigrationTest {
    @TempDir Path tmp;

    static java.util.stream.Stream<String> backends() {
        return TestDatabases.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void accountsFromBeforeRolesKeepTheirReach(String backend) throws Exception {
        String url = TestDatabases.freshUrl(backend, tmp);
        EarlierSchema.justBefore(url, "15");
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, 'x', ?, 0)")) {
            for (String[] u : new String[][] {{"old-desk", "officer"}, {"old-chief", "admin"}}) {
                ps.setString(1, u[0]);
                ps.setString(2, u[1]);
                ps.executeUpdate();
            }
        }
        try (Database db = Database.open(url)) {
            UserStore users = new UserStore(db);
            assertEquals(Set.of("*"), users.channels("old-desk"), "an existing officer handled every channel and still does");
            assertEquals(Set.of(), users.channels("old-chief"), "an admin needs no grant");
            assertTrue(users.find("old-desk").isPresent() && users.find("old-chief").isPresent(), "nobody is disabled by the upgrade");
            assertEquals("admin", users.find("old-chief").orElseThrow().role());
            users.setDisabled("old-desk", true);
            assertTrue(users.find("old-desk").isEmpty());
            assertTrue(users.accounts().stream().anyMatch(a -> a.username().equals("old-desk") && a.disabled()));
        }
    }
}
