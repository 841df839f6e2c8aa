package io.parley.server;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Kind;
import io.parley.testing.TestNodes;

/** What a newcomer sees after './parley demo': three nodes, two signed channels, traffic delivered everywhere. */
class DemoNetworkTest {
    @TempDir Path tmp;

    @Test
    void demoStartsThreeFederatedNodesWithSignedChannelsAndDeliveredTraffic() throws Exception {
        try (DemoNetwork demo = DemoNetwork.start(tmp, 0, Clock.systemUTC())) {
            var nodes = demo.nodes();
            assertEquals(3, nodes.size());
            HttpClient http = HttpClient.newHttpClient();
            for (NodeServer n : nodes) {
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/.well-known/parley")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((DemoNetwork.USER + ":" + demo.password()).getBytes());
                var api = http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/api/v1/channels")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, api.statusCode(), "the printed login works on " + n.node().origin());
                assertTrue(n.node().charters().active("demo-trilateral"));
            }
            NodeServer a = nodes.get(0), b = nodes.get(1), c = nodes.get(2);
            assertTrue(a.node().charters().active("demo-a-b") && b.node().charters().active("demo-a-b"));
            assertTrue(c.node().channels().charter("demo-a-b").isEmpty(), "the bilateral line stays bilateral");
            assertTrue(TestNodes.eventually(15, () -> countKind(c, "demo-trilateral", Kind.NOTIFY) == 1 && countKind(c, "demo-trilateral", Kind.UPDATE) == 1));
            assertTrue(TestNodes.eventually(15, () -> countKind(b, "demo-a-b", Kind.PING) == 1));
            assertTrue(TestNodes.eventually(15, () -> countKind(a, "demo-trilateral", Kind.UPDATE) == 1));
            // the seeded cases: one answered in time, one overdue and escalated, one closed — the same on every node
            for (NodeServer n : nodes) {
                assertTrue(TestNodes.eventually(15, () -> n.cases().timeline("case-demo-answered").map(t -> t.answeredAt() != null).orElse(false)));
                var answered = n.cases().timeline("case-demo-answered").orElseThrow();
                assertEquals(io.parley.cases.DeadlineStatus.MET, answered.ackStatus(n.node().now()));
                assertEquals(io.parley.cases.DeadlineStatus.MET, answered.answerStatus(n.node().now()));
                var overdue = n.cases().timeline("case-demo-overdue").orElseThrow();
                assertEquals(io.parley.cases.DeadlineStatus.MISSED, overdue.ackStatus(n.node().now()));
                assertTrue(TestNodes.eventually(15, () -> n.cases().timeline("case-demo-closed").map(t -> t.state() == io.parley.cases.CaseState.CLOSED).orElse(false)));
            }
            assertTrue(TestNodes.eventually(15, () -> a.node().envelopes().inCase("demo-trilateral", "case-demo-overdue").stream()
                    .anyMatch(s -> s.envelope().kind() == Kind.ESCALATE)), "the overdue case was escalated");
        }
    }

    private static long countKind(NodeServer n, String channel, Kind kind) {
        return n.node().envelopes().inChannel(channel, 0, 1000).stream().filter(s -> s.envelope().kind() == kind && s.envelope().caseId() == null).count();
    }
}
