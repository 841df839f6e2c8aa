package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/** A case's correlations name each correlated case's incident category and group them by it. */
class CorrelationCategoriesTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("line", Tlp.AMBER, a, b), a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    private String open(NodeServer n, String category, String ip) throws Exception {
        ObjectNode body = Json.object().put("summary", "DDoS from " + ip);
        if (category != null) body.put("category", category);
        body.set("stix", Stix.bundle(Stix.indicator(Tlp.GREEN, ip)));
        var res = TestNodes.post(n, "/api/v1/channels/line/cases", Json.write(Json.object().put("kind", "notify").put("tlp", "green").set("body", body)));
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("id").asText();
    }

    @Test
    void correlatedCasesCarryTheirCategoryAndAreGroupedByIt() throws Exception {
        String mine = open(a, "availability/ddos", "192.0.2.99");
        String theirs = open(b, "availability/ddos", "192.0.2.99");
        String plain = open(b, null, "192.0.2.99");
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return Json.parse(TestNodes.get(a, "/api/v1/cases/" + mine + "/correlations").body()).path("correlated_cases").size() == 2;
            } catch (Exception e) {
                return false;
            }
        }));
        JsonNode c = Json.parse(TestNodes.get(a, "/api/v1/cases/" + mine + "/correlations").body());
        assertEquals("availability/ddos", c.path("category").asText());
        JsonNode ddos = c.path("by_category").path("availability/ddos");
        assertEquals(1, ddos.size(), c.toString());
        assertEquals(theirs, ddos.get(0).path("case").asText());
        assertEquals("cert-b.example", ddos.get(0).path("reported_by").get(0).asText());
        assertEquals(plain, c.path("by_category").path("uncategorised").get(0).path("case").asText());
    }
}
