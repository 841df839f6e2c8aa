package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.testing.TestNodes;

/** The red team's harness itself: four peered nodes, and a channel in which the hostile node is a full member. */
class HostileNetworkTest {
    @TempDir Path tmp;

    @Test
    void hostileNodeIsAFullMemberOfAChannelWithTheHonestOnes() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            TestNodes.establish(TestNodes.charter("quad", Tlp.AMBER, net.a, net.b, net.c, net.evil), net.a, net.b, net.c, net.evil);
            String hash = HostileNetwork.send(net.evil, "quad", Tlp.GREEN, "hello from the hostile member");
            for (var n : net.honest()) assertTrue(TestNodes.eventually(10, () -> n.node().envelopes().byHash(hash).isPresent()), n.node().origin());
        }
    }
}
