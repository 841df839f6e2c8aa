package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Tokens;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * {@code parley token create|list|revoke} through the API and offline on the node directory, and {@code --token} on
 * other API commands instead of a password.
 */
class TokenCliTest {
    @TempDir Path tmp;
    NodeServer node;

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void createListRevokeThroughTheApiAndUseTheTokenInsteadOfAPassword() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        var created = PeerChannelCliTest.at(node, "token", "create", "--label", "ci job", "--scope", "write", "--days", "30");
        PeerChannelCliTest.assertOk(created);
        String secret = secret(created.out());
        assertTrue(created.out().contains("scope write, channels *"), created.out());
        assertTrue(created.out().contains("only time"), created.out());

        PeerChannelCliTest.assertOk(withToken(secret, "peer", "list"));
        PeerChannelCliTest.assertOk(withToken(secret, "case", "list"));

        var list = PeerChannelCliTest.at(node, "token", "list");
        PeerChannelCliTest.assertOk(list);
        assertTrue(list.out().contains("ci job") && list.out().contains("active"), list.out());
        assertFalse(list.out().contains(secret), "a list never shows a secret");
        String id = node.node().tokens().list(TestNodes.USER).get(0).id();
        assertTrue(list.out().contains(id), list.out());

        PeerChannelCliTest.assertOneLineError(withToken(secret, "token", "list"), "password");

        PeerChannelCliTest.assertOk(PeerChannelCliTest.at(node, "token", "revoke", id));
        PeerChannelCliTest.assertOneLineError(withToken(secret, "peer", "list"), "revoked");
        PeerChannelCliTest.assertOneLineError(PeerChannelCliTest.at(node, "token", "revoke", "no-such-token"), "no token");
    }

    @Test
    void offlineOnTheNodeDirectoryForAnOperatorOnTheBox() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        Path dir = tmp.resolve("cert-a.example");
        var created = CliTest.run("token", "create", "--dir", dir.toString(), "--user", TestNodes.USER, "--label", "break glass", "--days", "1");
        PeerChannelCliTest.assertOk(created);
        String secret = secret(created.out());
        PeerChannelCliTest.assertOk(withToken(secret, "peer", "list"));
        PeerChannelCliTest.assertOneLineError(withToken(secret, "token", "list"), "signed in with its password");
        var list = CliTest.run("token", "list", "--dir", dir.toString());
        PeerChannelCliTest.assertOk(list);
        assertTrue(list.out().contains("break glass"), list.out());
        assertFalse(list.out().contains(secret));
        String id = node.node().tokens().list(TestNodes.USER).get(0).id();
        assertTrue(node.node().audit().after(0, 1000).stream().anyMatch(r -> r.action().equals("token-created") && r.target().equals(id)
                && r.from().equals("cli")), "offline creation is on the audit trail");
        PeerChannelCliTest.assertOk(CliTest.run("token", "revoke", "--dir", dir.toString(), id));
        PeerChannelCliTest.assertOneLineError(withToken(secret, "peer", "list"), "revoked");
        PeerChannelCliTest.assertOneLineError(CliTest.run("token", "create", "--dir", dir.toString(), "--user", "nobody", "--label", "x"), "no enabled account");
        PeerChannelCliTest.assertOneLineError(CliTest.run("token", "create", "--dir", dir.toString(), "--label", "x"), "--user");
    }

    @Test
    void anAdminWhoseBasicIsRefusedUnderRequire2faGetsATokenOnTheBox() throws Exception {
        node = TestNodes.start(tmp, "cert-s.example", null, java.time.Clock.systemUTC(), 0,
                c -> c.withSignIn(new io.parley.auth.SignInSettings(java.time.Duration.ofMinutes(30), java.time.Duration.ofHours(12), true)));
        node.node().users().put("root", io.parley.auth.Passwords.hash("root-password-1"), "admin", java.time.Instant.now());
        var basic = CliTest.run("peer", "list", "--url", node.baseUrl(), "--user", "root", "--password", "root-password-1");
        PeerChannelCliTest.assertOneLineError(basic, "require_2fa_for_admin");
        var created = CliTest.run("token", "create", "--dir", tmp.resolve("cert-s.example").toString(), "--user", "root",
                "--label", "admin automation", "--scope", "write");
        PeerChannelCliTest.assertOk(created);
        String secret = secret(created.out());
        PeerChannelCliTest.assertOk(withToken(secret, "peer", "list"));
        var taxii = TestNodes.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/taxii2/"))
                .header("Authorization", "Bearer " + secret).header("Accept", "application/taxii+json;version=2.1").GET().build());
        assertEquals(200, taxii.statusCode(), taxii.body());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        PeerChannelCliTest.assertOneLineError(PeerChannelCliTest.at(node, "token", "create", "--label", "x", "--scope", "admin"), "--scope");
        PeerChannelCliTest.assertOneLineError(PeerChannelCliTest.at(node, "token", "create", "--label", "x", "--days", "400"), "--days");
        PeerChannelCliTest.assertOneLineError(PeerChannelCliTest.at(node, "token", "create", "--label", "x", "--channel", "a b"), "not a channel id");
        PeerChannelCliTest.assertOneLineError(withToken("not a token", "peer", "list"), "--token");
        PeerChannelCliTest.assertOneLineError(withToken(Tokens.PREFIX + "A".repeat(43), "peer", "list"), "unknown token");
        PeerChannelCliTest.assertOneLineError(CliTest.run("peer", "list", "--url", node.baseUrl()), "PARLEY_TOKEN");
    }

    CliTest.Result withToken(String token, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--url", node.baseUrl(), "--token", token));
        return CliTest.run(all.toArray(String[]::new));
    }

    static String secret(String out) {
        Matcher m = Pattern.compile("(?m)^token: (parley_[A-Za-z0-9_-]{43})$").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }
}
