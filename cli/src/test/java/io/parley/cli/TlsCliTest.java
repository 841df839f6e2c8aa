package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** 'parley init --tls-self-signed' makes an HTTPS node; the CLI reaches it with '--ca tls.crt' and refuses it without. */
public class TlsCliTest {
    @TempDir Path tmp;

    @Test
    void selfSignedInitServesHttpsAndTheCliTrustsItOnlyWithCa() throws Exception {
        Path dir = tmp.resolve("cert-t.example");
        CliTest.Result init = CliTest.run("init", "--dir", dir.toString(), "--name", "cert-t.example", "--tls-self-signed");
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().contains("--ca " + dir.resolve(NodeInit.TLS_CERT_FILE)), init.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(NodeInit.TLS_KEY_FILE))));
        assertTrue(Files.readString(dir.resolve(NodeInit.TLS_KEY_FILE)).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 PEM");
        assertNotNull(NodeConfig.load(dir).tls());
        try (NodeServer n = TestNodes.start(tmp, "cert-t.example", null, Clock.systemUTC())) {
            assertTrue(n.baseUrl().startsWith("https://"));
            String ca = dir.resolve(NodeInit.TLS_CERT_FILE).toString();
            CliTest.Result trusted = CliTest.run("channel", "list", "--url", n.baseUrl(), "--user", TestNodes.USER, "--password", TestNodes.PASSWORD, "--ca", ca);
            assertEquals(0, trusted.code(), trusted.err());
            CliTest.Result untrusted = CliTest.run("channel", "list", "--url", n.baseUrl(), "--user", TestNodes.USER, "--password", TestNodes.PASSWORD);
            assertNotEquals(0, untrusted.code(), untrusted.out());
            assertEquals(1, untrusted.err().strip().lines().count(), untrusted.err());
            assertTrue(untrusted.err().contains("not trusted") && untrusted.err().contains("--ca"), untrusted.err());
            CliTest.Result log = CliTest.run("log", "checkpoint", "--url", n.baseUrl(), "--ca", ca);
            assertEquals(0, log.code(), log.err());
            // key rotation must still see the running node behind its self-signed certificate
            NodeConfig.load(dir).withPort(n.port()).save(dir);
            CliTest.Result rotate = CliTest.run("key", "rotate", "--dir", dir.toString());
            assertNotEquals(0, rotate.code(), rotate.out());
            assertTrue(rotate.err().contains("is running"), rotate.err());
        }
    }
}
