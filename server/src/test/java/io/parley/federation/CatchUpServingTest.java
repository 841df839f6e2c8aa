package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.redteam.HostileNetwork;
import io.parley.server.NodeServer;
import io.parley.store.StoredEnvelope;
import io.parley.testing.TestNodes;

/**
 * The serving side of catch-up pages (issue 15): a page is bounded in links and in bytes, whatever the size of the
 * envelopes, and serves each envelope as the sender signed it.
 */
class CatchUpServingTest {
    static final String A = "cert-a.example";
    @TempDir Path tmp;

    @Test
    void pageOfLargeEnvelopesEndsAtTheByteCapAndTheNextGoesOn() throws Exception {
        NodeServer a = TestNodes.start(tmp, A);
        NodeServer b = TestNodes.start(tmp, "cert-b.example");
        try {
            TestNodes.peerAll(a, b);
            TestNodes.establish(TestNodes.charter("big", Tlp.AMBER, a, b), a, b);
            String text = "Ж".repeat(28_000); // about 56 KiB of UTF-8 per envelope: 90 of them are about 5 MiB
            for (int i = 0; i < 90; i++) HostileNetwork.send(a, "big", Tlp.AMBER, i + " " + text);
            List<StoredEnvelope> chain = a.node().envelopes().chain("big", A, 0, 1000);
            PeerClient asB = new PeerClient(b.node().key(), Clock.systemUTC(), Duration.ofSeconds(20));

            PeerClient.Page first = asB.catchUp(a.baseUrl(), "big", A, 0, PeerClient.Page.MAX_ITEMS);
            int bytes = 0;
            for (JsonNode item : first.envelopes()) bytes += Json.write(item).getBytes(StandardCharsets.UTF_8).length + 1;
            assertTrue(first.more(), "the page ended at the byte cap, and says more follow");
            assertTrue(bytes <= PeerClient.Page.MAX_BYTES, bytes + " bytes of links");
            assertTrue(first.envelopes().size() < chain.size() && first.envelopes().size() > 50, first.envelopes().size() + " links");

            List<String> served = new ArrayList<>();
            first.envelopes().forEach(j -> served.add(Envelope.fromJson(j).hash()));
            long after = Envelope.fromJson(first.envelopes().getLast()).seq();
            PeerClient.Page rest = asB.catchUp(a.baseUrl(), "big", A, after, PeerClient.Page.MAX_ITEMS);
            assertFalse(rest.more());
            rest.envelopes().forEach(j -> served.add(Envelope.fromJson(j).hash()));
            assertEquals(chain.stream().map(StoredEnvelope::hash).toList(), served, "every link once, in order, as signed");

            PeerClient.Page few = asB.catchUp(a.baseUrl(), "big", A, 0, 5);
            assertEquals(5, few.envelopes().size());
            assertTrue(few.more());
        } finally {
            b.close();
            a.close();
        }
    }
}
