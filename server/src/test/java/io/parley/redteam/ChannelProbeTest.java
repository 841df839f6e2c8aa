package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.WithheldNotice;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.testing.TestNodes;

/**
 * An anonymous caller probes which channels exist on a node and who is in them, with forged envelopes and forged
 * withheld notices naming real and made-up channels and senders. Neither the inbox's answers nor the public
 * /metrics page may differ between the real and the made-up ones.
 */
class ChannelProbeTest {
    @TempDir Path tmp;

    private static final Pattern COUNTER = Pattern.compile("(?m)^parley_envelopes_refused_total\\{code=\"([a-z-]+)\",?\\} ([0-9.E]+)$");

    @Test
    void forgedEnvelopesAndNoticesTellAnOutsiderNothingAboutChannelsOrMembers() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            TestNodes.establish(TestNodes.charter("secret-ab", Tlp.AMBER, net.a, net.b), net.a, net.b);
            String before = metrics(net.a);
            SigningKey forger = SigningKey.generate("cert-b.example"); // claims to be a real member, holds no real key
            SigningKey stranger = SigningKey.generate("nobody.example");
            List<String> answers = new ArrayList<>();
            for (String channel : List.of("secret-ab", "no-such-channel")) {
                for (SigningKey key : List.of(forger, stranger)) {
                    Envelope e = EnvelopeSigner.sign(new Envelope(1, channel, key.name(), 1, null, Kind.NOTIFY, null, "2026-11-30T05:00:00Z",
                            Priority.URGENT, Tlp.GREEN, Json.object().put("text", "probe"), null), key);
                    answers.add(code(net, e.toJson()));
                    Envelope red = EnvelopeSigner.sign(new Envelope(1, channel, key.name(), 1, null, Kind.NOTIFY, null, "2026-11-30T05:00:00Z",
                            Priority.URGENT, Tlp.RED, Json.object().put("text", "probe").set("recipients", Json.MAPPER.createArrayNode().add("cert-a.example")), null), key);
                    WithheldNotice n = WithheldNotice.of(red, red.hash(), Set.of("cert-a.example")).sign(key);
                    answers.add(code(net, n.toJson()));
                }
            }
            assertEquals(List.of("bad-signature"), answers.stream().distinct().toList(), "every probe gets the same answer: " + answers);
            String after = metrics(net.a);
            for (String code : List.of("unknown-channel", "not-member")) {
                assertEquals(counter(before, code), counter(after, code), "/metrics counted a probe as " + code);
            }
            assertEquals(counter(before, "bad-signature") + 8, counter(after, "bad-signature"), "the probes are counted as what they were told");
            // The truth is still on record for the node's own officers.
            JsonNode rejections = Json.parse(io.parley.testing.TestNodes.get(net.a, "/api/v1/rejections").body());
            List<String> recorded = new ArrayList<>();
            rejections.forEach(r -> recorded.add(r.path("code").asText()));
            assertTrue(recorded.containsAll(List.of("unknown-channel", "not-member")), recorded.toString());
        }
    }

    private static String code(HostileNetwork net, JsonNode body) throws Exception {
        var res = HostileNetwork.rawPost(net.a, "/federation/v1/inbox", "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
        assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, res.statusCode() + " " + res.body());
        String type = Json.parse(res.body()).path("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    private static String metrics(io.parley.server.NodeServer n) throws Exception {
        return new String(HostileNetwork.rawGet(n, "/metrics").body(), StandardCharsets.UTF_8);
    }

    private static long counter(String scrape, String code) {
        Matcher m = COUNTER.matcher(scrape);
        while (m.find()) if (m.group(1).equals(code)) return (long) Double.parseDouble(m.group(2));
        return 0;
    }
}
