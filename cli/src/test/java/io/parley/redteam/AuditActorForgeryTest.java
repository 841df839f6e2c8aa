package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Passwords;
import io.parley.cli.ParleyCli;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * A malicious admin wants audit records that read as the operator's own command line ({@code cli}) or as the node's
 * ({@code node}): it creates an account with that name and acts through it. Before the fix both the users page and
 * {@code parley user add} accepted such a name.
 */
class AuditActorForgeryTest {
    @TempDir Path tmp;
    NodeServer node;

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-af.example", null, new MutableClock(Instant.parse("2026-11-30T09:00:00Z")));
        node.node().users().put("chief", Passwords.hash("chief-password"), "admin", Instant.parse("2026-11-30T09:00:00Z"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void noAccountMayBeNamedAfterTheCommandLineOrTheNode() throws Exception {
        String admin = WebSessions.signIn(node, "chief", "chief-password");
        String csrf = WebSessions.csrf(node, admin, "/users");
        for (String name : new String[] {"cli", "node", "CLI"}) {
            var res = WebSessions.form(node, "/users", admin, "csrf=" + csrf + "&username=" + name + "&password=long-enough-pw&role=admin");
            assertEquals(422, res.statusCode(), name + ": " + res.body());
            assertTrue(res.body().contains("audit trail"), res.body());
            assertTrue(node.node().users().find(name).isEmpty(), name);
        }
        var ok = WebSessions.form(node, "/users", admin, "csrf=" + csrf + "&username=clio&password=long-enough-pw&role=viewer");
        assertEquals(303, ok.statusCode(), "an ordinary name is still accepted");
    }

    @Test
    void theCommandLineRefusesTheNamesToo() throws Exception {
        Path dir = node.node().dir();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = ParleyCli.run(new String[] {"user", "add", "--dir", dir.toString(), "--password", "long-enough-pw", "--role", "admin", "cli"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertNotEquals(0, code, out.toString());
        assertTrue(err.toString().contains("audit trail"), err.toString());
        assertTrue(node.node().users().find("cli").isEmpty());
    }
}
