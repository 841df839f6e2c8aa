package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.store.EnvelopeStore;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 14: what an anonymous client can make a node store is bounded. It posts thousands of envelopes that
 * are unsigned, badly signed, malformed, for unknown channels or from non-members; the node keeps only a capped
 * summary of them, counts them in /metrics by a fixed set of codes, records no equivocation or split view, and still
 * accepts the next genuine envelope.
 */
class UnboundedStorageTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GARBAGE = 5_000;
    private static final String CHANNEL = "bounded";
    @TempDir Path tmp;

    private static long count(NodeServer n, String sql) {
        return n.node().db().queryOne(sql, rs -> rs.getLong(1)).orElse(0L);
    }

    /** One piece of garbage of the {@code i % 5}th kind, each carrying about 3 kB of text the node must not keep. */
    private static ObjectNode garbage(int i, String claimedSender) {
        String filler = "x".repeat(3_000) + i;
        byte[] sig = new byte[64];
        RANDOM.nextBytes(sig);
        ObjectNode e = Json.object().put("v", 1).put("channel", CHANNEL).put("from", claimedSender).put("seq", 1 + i)
                .put("kind", "notify").put("created", "2026-11-30T04:00:00Z").put("priority", "urgent").put("tlp", "green");
        e.putObject("body").put("text", filler).put("lang", "en");
        switch (i % 5) {
            case 0 -> e.put("sig", Base64.getEncoder().encodeToString(sig));                // forged signature of a member
            case 1 -> { }                                                                      // unsigned
            case 2 -> e.put("channel", "nowhere-" + i).put("sig", Base64.getEncoder().encodeToString(sig)); // unknown channel
            case 3 -> e.put("from", "stranger-" + i + ".example" + "y".repeat(500)).put("sig", Base64.getEncoder().encodeToString(sig)); // not a member, long name
            default -> e.remove("kind");                                                       // malformed
        }
        return e;
    }

    private static long metric(String scrape, String code) {
        Matcher m = Pattern.compile("(?m)^parley_envelopes_refused_total\\{code=\"" + Pattern.quote(code) + "\",?\\} ([0-9.E]+)$").matcher(scrape);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void fiveThousandGarbageEnvelopesStayWithinTheCapAndAGenuineOneIsStillAccepted() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            TestNodes.establish(TestNodes.charter(CHANNEL, Tlp.AMBER, net.a, net.evil), net.a, net.evil);
            NodeServer target = net.a;
            long rejectionsBefore = count(target, "SELECT COUNT(*) FROM rejections");

            for (int batch = 0; batch < GARBAGE / 500; batch++) {
                ArrayNode envelopes = Json.MAPPER.createArrayNode();
                for (int i = 0; i < 500; i++) envelopes.add(garbage(batch * 500 + i, i % 2 == 0 ? net.evil.node().origin() : net.b.node().origin()));
                ObjectNode body = Json.object();
                body.set("envelopes", envelopes);
                var res = HostileNetwork.rawPost(target, "/federation/v1/inbox", "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
                assertEquals(200, res.statusCode(), res.body().substring(0, Math.min(300, res.body().length())));
            }

            long rows = count(target, "SELECT COUNT(*) FROM rejections");
            assertTrue(rows <= EnvelopeStore.MAX_UNVERIFIED_REJECTIONS + rejectionsBefore,
                    rows + " rejection rows after " + GARBAGE + " garbage envelopes; the cap is " + EnvelopeStore.MAX_UNVERIFIED_REJECTIONS);
            assertEquals(0, count(target, "SELECT COUNT(*) FROM rejections WHERE envelope IS NOT NULL"),
                    "an envelope whose signature never verified was kept in full");
            long longest = count(target, "SELECT COALESCE(MAX(LENGTH(sender)) + MAX(LENGTH(detail)) + MAX(LENGTH(channel)), 0) FROM rejections");
            assertTrue(longest < 1_000, "kept summaries are bounded, got " + longest + " characters");
            assertEquals(0, count(target, "SELECT COUNT(*) FROM equivocations"));
            assertEquals(0, count(target, "SELECT COUNT(*) FROM witness_conflicts"));

            String scrape = new String(HostileNetwork.rawGet(target, "/metrics").body(), StandardCharsets.UTF_8);
            long counted = 0;
            for (String code : new String[] {"bad-signature", "unknown-channel", "not-member", "malformed"}) counted += metric(scrape, code);
            assertEquals(GARBAGE, counted, "every refusal is counted by its code");
            assertFalse(scrape.contains("stranger-"), "metric labels never carry what a caller sent");

            // The flood did not disturb the channel: the member's next genuine envelope is accepted.
            Envelope genuine = HostileNetwork.craft(net.evil, CHANNEL, Kind.NOTIFY, null, Tlp.GREEN, Json.object().put("text", "still here").put("lang", "en"));
            var ok = HostileNetwork.rawPost(target, "/federation/v1/inbox", "application/json", Json.write(genuine.toJson()).getBytes(StandardCharsets.UTF_8));
            assertEquals(201, ok.statusCode(), ok.body());
            assertTrue(TestNodes.eventually(10, () -> target.node().envelopes().byHash(genuine.hash()).isPresent()));
        }
    }
}
