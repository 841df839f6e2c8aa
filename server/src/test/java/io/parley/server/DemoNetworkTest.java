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
public class DemoNetworkTest {
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
                // and signs in to the web UI through its form; the three nodes on one host keep separate sessions
                String session = io.parley.testing.WebSessions.signIn(n, DemoNetwork.USER, demo.password());
                assertTrue(session.startsWith("parley_session-" + n.node().origin() + "="), session);
                var desk = io.parley.testing.WebSessions.get(n, session, "/");
                assertEquals(200, desk.statusCode(), "the web UI with the printed login on " + n.node().origin());
                assertEquals(303, http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/")).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode(), "but not with Basic");
                assertTrue(n.node().charters().active("demo-trilateral"));
                // the printed read-only account reads cases but may not open one
                String viewer = "Basic " + java.util.Base64.getEncoder().encodeToString((DemoNetwork.VIEWER + ":" + demo.viewerPassword()).getBytes());
                var read = http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/api/v1/cases")).header("Authorization", viewer).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, read.statusCode(), "the viewer reads cases on " + n.node().origin());
                long before = n.cases().ids("demo-trilateral", null, 1000).size();
                var open = http.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/api/v1/channels/demo-trilateral/cases")).header("Authorization", viewer)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"kind\":\"request\",\"priority\":\"routine\",\"tlp\":\"amber\",\"body\":{\"summary\":\"viewer tries\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, open.statusCode(), open.body());
                assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
                assertTrue(open.body().contains("viewer"), open.body());
                assertEquals(before, n.cases().ids("demo-trilateral", null, 1000).size(), "nothing was opened");
            }
            NodeServer a = nodes.get(0), b = nodes.get(1), c = nodes.get(2);
            assertTrue(a.node().charters().active("demo-a-b") && b.node().charters().active("demo-a-b"));
            assertTrue(c.node().channels().charter("demo-a-b").isEmpty(), "the bilateral line stays bilateral");
            assertTrue(TestNodes.eventually(15, () -> countKind(c, "demo-trilateral", Kind.NOTIFY) == 1 && countKind(c, "demo-trilateral", Kind.UPDATE) == 1));
            assertTrue(TestNodes.eventually(15, () -> countKind(b, "demo-a-b", Kind.PING) == 1));
            assertTrue(TestNodes.eventually(15, () -> countKind(a, "demo-trilateral", Kind.UPDATE) == 1));
            // the seeded cases: one answered in time, one overdue and escalated, one closed — the same on every node
            String answeredId = seeded(a, "Take down phishing kit"), overdueId = seeded(a, "Trace C2 of wiper"), closedId = seeded(c, "Advance notice");
            // the wiper's C2 address came from cert-a (in its flash request) and from cert-b (in its update): cert-c sees both sightings
            String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((DemoNetwork.USER + ":" + demo.password()).getBytes());
            String[] sightings = {""};
            assertTrue(TestNodes.eventually(15, () -> {
                try {
                    var r = http.send(HttpRequest.newBuilder(URI.create(c.baseUrl() + "/api/v1/correlations/indicator?type=ipv4&value=203.0.113.66"))
                            .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
                    sightings[0] = r.statusCode() + " " + r.body();
                    return r.statusCode() == 200 && r.body().contains("cert-a.example") && r.body().contains("cert-b.example");
                } catch (java.io.IOException | InterruptedException e) {
                    return false;
                }
            }), "the demo's evidence correlates across parties: " + sightings[0]);
            for (NodeServer n : nodes) {
                assertTrue(TestNodes.eventually(15, () -> n.cases().timeline("demo-trilateral", answeredId).map(t -> t.answeredAt() != null).orElse(false)));
                var answered = n.cases().timeline("demo-trilateral", answeredId).orElseThrow();
                assertEquals(io.parley.timeline.DeadlineStatus.MET, answered.ackStatus(n.node().now()));
                assertEquals(io.parley.timeline.DeadlineStatus.MET, answered.answerStatus(n.node().now()));
                var overdue = n.cases().timeline("demo-trilateral", overdueId).orElseThrow();
                assertEquals(io.parley.timeline.DeadlineStatus.MISSED, overdue.ackStatus(n.node().now()));
                assertTrue(TestNodes.eventually(15, () -> n.cases().timeline("demo-trilateral", closedId).map(t -> t.state() == io.parley.timeline.CaseState.CLOSED).orElse(false)));
            }
            assertTrue(TestNodes.eventually(15, () -> a.node().envelopes().inCase("demo-trilateral", overdueId).stream()
                    .anyMatch(s -> s.envelope().kind() == Kind.ESCALATE)), "the overdue case was escalated");
            // a closed case with a joint statement co-signed by two of the three parties, waiting for mfa-c
            String statementCase = seeded(a, "Submarine cable outage");
            assertTrue(TestNodes.eventually(15, () -> new io.parley.cases.JointStatements(c.node(), c.cases()).of("demo-trilateral", statementCase).stream()
                    .anyMatch(st -> st.pending().equals(java.util.List.of("mfa-c.example")))), "the seeded statement awaits mfa-c's co-signature");
            // the seeded preservation request: a hold running 90 + 30 days, citing two of the charter's commitments, categorised
            String held = seeded(a, "Preserve logs of the mail server");
            assertTrue(TestNodes.eventually(15, () -> b.cases().timeline("demo-trilateral", held).map(t -> t.norms().hold().extensions().size() == 1).orElse(false)));
            var hold = b.cases().timeline("demo-trilateral", held).orElseThrow();
            assertEquals(io.parley.timeline.PreservationHold.State.ACTIVE, hold.norms().hold().state(b.node().now()));
            assertEquals(java.util.List.of("budapest:29", "un-gge-2015:13h"), hold.norms().commitments());
            assertEquals("intrusions/system-compromise", hold.norms().category());
            assertEquals(5, b.node().channels().charter("demo-trilateral").orElseThrow().practice().commitments().size());
            // and a request both other parties declined, with their reasons, on every node
            String declinedId = seeded(b, "Subscriber data for 192.0.2.44");
            for (NodeServer n : nodes) {
                assertTrue(TestNodes.eventually(15, () -> n.cases().timeline("demo-trilateral", declinedId)
                        .map(t -> t.state() == io.parley.timeline.CaseState.DECLINED).orElse(false)), "declined at " + n.node().origin());
                var declined = n.cases().timeline("demo-trilateral", declinedId).orElseThrow();
                assertEquals(io.parley.timeline.ReasonCode.LEGAL_OBSTACLE, declined.responses().get(a.node().origin()).decision().reasonCode());
                assertEquals(io.parley.timeline.DeadlineStatus.DECLINED, declined.answerStatus(n.node().now()));
            }
            // the seeded exercise, acknowledged, labelled on every node; the trilateral charter's practice terms;
            // a's re-confirmation of its points of contact has reached c
            String drillId = seeded(a, "Exercise: simulated ransomware");
            for (NodeServer n : nodes) {
                assertTrue(TestNodes.eventually(15, () -> n.cases().timeline("demo-trilateral", drillId).map(t -> t.exercise() && t.ackedAt() != null).orElse(false)));
                var practice = n.node().channels().charter("demo-trilateral").orElseThrow().practice();
                assertEquals(1, practice.pingExercises().size());
                assertTrue(practice.contactReconfirmationEvery().isPresent());
            }
            assertTrue(TestNodes.eventually(15, () -> c.contacts().status(c.node().now()).stream()
                    .anyMatch(s -> s.party().equals(a.node().origin()) && s.how().equals("re-confirmation"))));
        }
    }

    /** The id of the seeded case {@code opener} opened whose summary starts so (ids are made for their openers, so random). */
    public static String seeded(NodeServer opener, String summary) throws InterruptedException {
        assertTrue(TestNodes.eventually(15, () -> find(opener, summary) != null), "seeded: " + summary);
        return find(opener, summary);
    }

    private static String find(NodeServer n, String summary) {
        return n.cases().ids("demo-trilateral", null, 100).stream().map(k -> n.cases().timeline(k).orElse(null))
                .filter(t -> t != null && t.openedBy().equals(n.node().origin()) && t.summary() != null && t.summary().startsWith(summary))
                .map(t -> t.caseId()).findFirst().orElse(null);
    }

    private static long countKind(NodeServer n, String channel, Kind kind) {
        // a re-confirmation of points of contact is a case-less update too, but no seeded traffic
        return n.node().envelopes().inChannel(channel, 0, 1000).stream().filter(s -> s.envelope().kind() == kind && s.envelope().caseId() == null
                && !io.parley.practice.ContactConfirmations.isConfirmation(s.envelope())).count();
    }
}
