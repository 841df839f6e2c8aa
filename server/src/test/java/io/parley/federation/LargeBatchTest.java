package io.parley.federation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.redteam.HostileNetwork;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Envelopes may be up to 64 KiB and the inbox reads at most 2 MiB per POST: a backlog of large envelopes must go out
 * in batches that fit, not as one batch the peer refuses for its size forever.
 */
class LargeBatchTest {
    @TempDir Path tmp;

    @Test
    void backlogOfLargeEnvelopesReachesAPeerThatWasDown() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            TestNodes.establish(TestNodes.charter("big", Tlp.AMBER, net.a, net.b), net.a, net.b);
            int port = net.b.port();
            net.b.close();
            String text = "Ж".repeat(28_000); // about 56 KiB of UTF-8 per envelope
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) sent.add(HostileNetwork.send(net.a, "big", Tlp.AMBER, i + " " + text));
            NodeServer b = TestNodes.start(tmp, "cert-b.example", null, Clock.systemUTC(), port);
            try {
                assertTrue(TestNodes.eventually(60, () -> net.a.federation().outbox().count("cert-b.example", "queued") == 0),
                        "the whole backlog (about 3.3 MiB) was delivered");
                for (String h : sent) assertTrue(b.node().envelopes().byHash(h).isPresent(), h);
            } finally {
                b.close();
            }
        }
    }

    @Test
    void batchesStopBeforeTheByteBudgetButNeverAreEmpty() {
        String big = "x".repeat(60_000);
        List<io.parley.store.OutboxStore.Pending> due = new ArrayList<>();
        for (int i = 0; i < 200; i++) due.add(new io.parley.store.OutboxStore.Pending(i, "h" + i, "p", 0, big));
        List<io.parley.store.OutboxStore.Pending> batch = DeliveryWorker.fitting(due);
        assertEquals(17, batch.size(), "17 x 60,001 bytes fit in 1 MiB");
        assertEquals(1, DeliveryWorker.fitting(List.of(new io.parley.store.OutboxStore.Pending(1, "h", "p", 0, "y".repeat(2_000_000)))).size());
    }
}
