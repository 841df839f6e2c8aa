package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.timeline.ReasonCode;

/**
 * The case page's decision form on two real nodes: the officer of the party asked declines or defers with the form,
 * the opener's case page shows the decision, the code's meaning and the reason as the original in its language,
 * and a decision the rules refuse is said on the page with nothing sent.
 */
class DecisionFormTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("ui", Tlp.AMBER, a, b), a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    String open(String summary) throws Exception {
        String id = a.cases().open("ui", Kind.REQUEST, io.parley.envelope.Priority.FLASH, Tlp.AMBER, Json.object().put("type", "trace")
                .put("summary", summary).put("asked", "Identify the operator of 203.0.113.66")).caseId();
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        return id;
    }

    @Test
    void declineThroughTheFormShowsAtTheOpenerWithItsReasonAsTheOriginal() throws Exception {
        String id = open("Scanner in your range");
        String session = WebSessions.signIn(b);
        String page = "/cases/" + id + "?channel=ui";
        String html = WebSessions.get(b, session, page).body();
        assertTrue(html.contains("name=\"decision\" value=\"defer\""), "the three choices are offered");
        assertTrue(html.contains("flag flag-owed"), "cert-b owes a response");
        for (ReasonCode c : ReasonCode.values()) assertTrue(html.contains("<option value=\"" + c.wire() + "\""), c.wire());
        String csrf = WebSessions.csrf(b, session, page);

        var refused = WebSessions.form(b, "/cases/" + id + "/ack", session, "csrf=" + csrf + "&channel=ui&decision=defer&lang=en");
        assertEquals(422, refused.statusCode());
        assertTrue(refused.body().contains("Not sent: a defer says until when"), refused.body());
        assertTrue(b.cases().timeline(id).orElseThrow().responses().isEmpty(), "nothing was signed");

        var sent = WebSessions.form(b, "/cases/" + id + "/ack", session, "csrf=" + csrf + "&channel=ui&decision=decline&reason_code=legal-obstacle&lang=ru"
                + "&reason=" + WebSessions.enc("Нужен официальный запрос <через МИД>"));
        assertEquals(303, sent.statusCode(), sent.body());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.responses().containsKey("cert-b.example")).orElse(false)));
        assertFalse(WebSessions.get(b, session, page).body().contains("flag flag-owed"), "a declined request owes no answer on b's desk");
        String opener = WebSessions.get(a, WebSessions.signIn(a), page).body();
        assertTrue(opener.contains("decision-decline"), opener);
        assertTrue(opener.contains("Legal obstacle: " + ReasonCode.LEGAL_OBSTACLE.label()), "the code with what it means");
        assertTrue(opener.contains("<blockquote class=\"pre original\" lang=\"ru\" dir=\"auto\">Нужен официальный запрос &lt;через МИД&gt;</blockquote>"), "escaped, tagged: " + opener);
        assertTrue(opener.contains("<span class=\"lang-code\">RU</span> · original"), "tagged as the original");
        assertTrue(Pattern.compile("class=\"state state-declined\"").matcher(opener).find(), "every party asked declined");
        String channel = WebSessions.get(a, WebSessions.signIn(a), "/channels/ui").body();
        assertTrue(channel.contains("Accepted / declined / deferred"), channel);
        assertTrue(channel.contains("<td class=\"num\">0 / 1 / 0</td>"), "cert-b's row counts the decline: " + channel);
    }

    @Test
    void deferThroughTheFormTakesTheTimeAsUtc() throws Exception {
        String id = open("Open resolver");
        String session = WebSessions.signIn(b);
        String csrf = WebSessions.csrf(b, session, "/cases/" + id + "?channel=ui");
        var sent = WebSessions.form(b, "/cases/" + id + "/ack", session, "csrf=" + csrf + "&channel=ui&decision=defer&until=2026-11-24T10:30&lang=en"
                + "&reason_code=resource-constraints");
        assertEquals(303, sent.statusCode(), sent.body());
        var r = b.cases().timeline(id).orElseThrow().responses().get("cert-b.example");
        assertEquals(Instant.parse("2026-11-24T10:30:00Z"), r.answerDue());
    }
}
