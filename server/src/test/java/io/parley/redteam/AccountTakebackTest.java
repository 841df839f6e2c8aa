package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.Passwords;
import io.parley.auth.Tokens;
import io.parley.server.NodeServer;
import io.parley.store.UserStore;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * An intruder who had an officer's password minted bearer tokens (year-long, every channel) before being noticed. The
 * admin does what the operator documentation says: disable the account, then hand it back with a new password (the
 * users page, or 'parley user add'). Before the fix the intruder's tokens stopped only while the account was disabled
 * and worked again the moment it was enabled: the disable did not revoke them.
 */
class AccountTakebackTest {
    @TempDir Path tmp;
    MutableClock clock;
    NodeServer node;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
        node = TestNodes.start(tmp, "cert-tb.example", null, clock);
        node.node().users().put("chief", Passwords.hash("chief-password"), "admin", clock.instant());
        node.node().users().put("eve", Passwords.hash("eve-password"), "officer", clock.instant());
        node.node().users().setChannels("eve", List.of("*"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private HttpResponse<String> bearer(String secret) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/cases")).header("Authorization", "Bearer " + secret).GET().build());
    }

    @Test
    void tokensMintedBeforeADisableStayDeadWhenTheAccountIsEnabledAgain() throws Exception {
        String stolen = node.node().tokens().issue("eve", "intruder", Tokens.Scope.WRITE, List.of("*"), Duration.ofDays(365)).secret();
        assertEquals(200, bearer(stolen).statusCode());

        String admin = WebSessions.signIn(node, "chief", "chief-password");
        String csrf = WebSessions.csrf(node, admin, "/users");
        assertEquals(303, WebSessions.form(node, "/users/eve/disable", admin, "csrf=" + csrf).statusCode());
        assertEquals(401, bearer(stolen).statusCode(), "disabled: the token stops");

        clock.advance(Duration.ofMinutes(10));
        var back = WebSessions.form(node, "/users", admin, "csrf=" + csrf + "&username=eve&password=" + WebSessions.enc("a-brand-new-password")
                + "&role=officer&channels=*");
        assertEquals(303, back.statusCode(), back.body());
        assertTrue(node.node().users().find("eve").isPresent(), "the account is back");
        var res = bearer(stolen);
        assertEquals(401, res.statusCode(), "the intruder's token must not come back with the account: " + res.body());
        var t = node.node().tokens().list("eve").get(0);
        assertTrue(t.revoked().isPresent(), "listed as revoked");
        assertEquals(UserStore.DISABLED_BY, t.revokedBy().orElseThrow());

        // the owner's new tokens work as usual
        String fresh = node.node().tokens().issue("eve", "eve's script", Tokens.Scope.READ, List.of("*"), Duration.ofDays(30)).secret();
        assertEquals(200, bearer(fresh).statusCode());
    }
}
