package io.parley.practice;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.auth.Passwords;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.store.Database;
import io.parley.testing.Concurrently;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.timeline.CaseTimeline;

/** Scheduled ping exercises and contact re-confirmation on two real nodes sharing a settable clock. */
class PracticeTest {
    @TempDir Path tmp;
    // Monday 23 November 2026, 08:00 UTC
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;

    void start(Practice practice) throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        Charter c = TestNodes.charter("drill", Tlp.AMBER, a, b).withPractice(practice);
        TestNodes.establish(c, a, b);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    static Practice pings(Practice.PingExercise... p) {
        return new Practice(null, List.of(), null, List.of(p));
    }

    /** Every exercise ping any node has opened, as a's case book sees them. */
    List<CaseTimeline> exercisePings(NodeServer n) {
        List<CaseTimeline> out = new ArrayList<>();
        for (var key : n.cases().ids("drill", null, 1000)) n.cases().timeline(key).filter(t -> t.kind() == Kind.PING && t.exercise()).ifPresent(out::add);
        return out;
    }

    void tickAll() {
        for (NodeServer n : List.of(a, b)) n.practice().tick();
    }

    @Test
    void aWeeklyPingExerciseGoesOutOncePerSlotByTurnAndCatchesUpOnlyTheLatestSlot() throws Exception {
        Practice.PingExercise monday = new Practice.PingExercise(DayOfWeek.MONDAY, LocalTime.of(10, 0), "auto");
        start(pings(monday));
        tickAll();
        assertEquals(0, exercisePings(a).size(), "last Monday's slot came before the terms: no ping");

        clock.advance(Duration.ofHours(2).plusMinutes(1)); // 10:01
        tickAll();
        tickAll();
        Instant slot = Instant.parse("2026-11-23T10:00:00Z");
        Charter charter = a.node().channels().charter("drill").orElseThrow();
        String pinger = PingExercises.turn(charter, monday, slot);
        NodeServer pinged = pinger.equals(a.node().origin()) ? b : a;
        assertTrue(TestNodes.eventually(10, () -> exercisePings(pinged).size() == 1), "the other member got the ping");
        CaseTimeline ping = exercisePings(pinged).get(0);
        assertEquals(pinger, ping.openedBy(), "the member whose turn it is pings");
        assertTrue(ping.exercise());
        // an automatic exercise ping is ponged by the node: it counts as an exercise, not in the real figures
        assertTrue(TestNodes.eventually(10, () -> exercisePings(a).get(0).ackedAt() != null && exercisePings(b).get(0).ackedAt() != null));
        JsonNode report = Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness?channel=drill&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z").body());
        for (JsonNode r : report.path("parties")) assertEquals(0, r.path("ping_tests").asInt(), "no real ping test");
        assertEquals(1, rowOf(report.path("exercises").path("parties"), pinged.node().origin()).path("ping_tests").asInt());

        // a restart of both nodes does not send it again
        String aOrigin = a.node().origin(), bOrigin = b.node().origin();
        int aPort = a.port(), bPort = b.port();
        a.close();
        b.close();
        a = TestNodes.start(tmp, aOrigin, null, clock, aPort);
        b = TestNodes.start(tmp, bOrigin, null, clock, bPort);
        tickAll();
        assertEquals(1, exercisePings(a).size());
        assertEquals(1, exercisePings(b).size());

        // three weeks down: only the latest missed slot is caught up, not three
        clock.advance(Duration.ofDays(21));
        tickAll();
        tickAll();
        assertTrue(TestNodes.eventually(10, () -> exercisePings(a).size() == 2 && exercisePings(b).size() == 2));
        Instant latest = Instant.parse("2026-12-14T10:00:00Z");
        assertTrue(exercisePings(a).stream().anyMatch(t -> t.openedBy().equals(PingExercises.turn(charter, monday, latest))));
        tickAll();
        assertEquals(2, exercisePings(a).size());

        // the channel page shows the schedule and its next slot
        String page = WebSessions.get(a, WebSessions.signIn(a), "/channels/drill").body();
        assertTrue(page.contains("every Monday 10:00 UTC, automatic ping"), "schedule shown");
        assertTrue(page.contains("Exercise figures"), "exercise figures shown apart");
    }

    @Test
    void aHumanPingExerciseWaitsForAPerson() throws Exception {
        Practice.PingExercise daily = new Practice.PingExercise(null, LocalTime.of(9, 0), "human");
        start(pings(daily));
        clock.advance(Duration.ofHours(1).plusMinutes(1)); // 09:01
        tickAll();
        Charter charter = a.node().channels().charter("drill").orElseThrow();
        String pinger = PingExercises.turn(charter, daily, Instant.parse("2026-11-23T09:00:00Z"));
        NodeServer pinged = pinger.equals(a.node().origin()) ? b : a;
        assertTrue(TestNodes.eventually(10, () -> exercisePings(pinged).size() == 1));
        CaseTimeline t = exercisePings(pinged).get(0);
        assertNull(t.ackedAt(), "no automatic pong for a human exercise ping");
        assertEquals(200, TestNodes.post(pinged, "/api/v1/cases/" + t.caseId() + "/ack", "{\"text\":\"duty officer here\"}").statusCode());
        NodeServer sender = pinged == a ? b : a;
        assertTrue(TestNodes.eventually(10, () -> exercisePings(sender).get(0).ackedAt() != null));
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void instancesSharingOneDatabaseTakeASlotOnce(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            PracticeStore store = new PracticeStore(db);
            Instant slot = Instant.parse("2026-11-23T10:00:00Z");
            List<Boolean> won = Concurrently.run(8, () -> new PracticeStore(db).claim("drill", "ping-exercise:auto", slot, slot));
            assertEquals(1, won.stream().filter(x -> x).count(), "exactly one instance takes the slot");
            assertTrue(store.claimed("drill", "ping-exercise:auto", slot));
            assertFalse(store.claimed("drill", "ping-exercise:auto", slot.plus(Duration.ofDays(7))));
            // a confirmation only moves forward
            store.confirm("drill", new PracticeStore.Confirmation("x", slot, "h1", null));
            store.confirm("drill", new PracticeStore.Confirmation("x", slot.minusSeconds(60), "h0", null));
            assertEquals("h1", store.confirmations("drill").get("x").envelopeHash());
        }
    }

    @Test
    void pointsOfContactAreReconfirmedBySignedActsOverdueShowsEverywhereAndOnlyAPartyConfirmsForItself() throws Exception {
        start(new Practice(null, List.of(), Duration.ofDays(30), List.of()));
        JsonNode standing = Json.parse(TestNodes.get(a, "/api/v1/contacts").body());
        assertEquals(2, standing.size());
        for (JsonNode s : standing) assertFalse(s.path("overdue").asBoolean(), s.toString());

        // a week before the due time a reminds its own people, once
        clock.advance(Duration.ofDays(23));
        a.practice().tick();
        a.practice().tick();
        assertEquals(1, reminders(a, "due for re-confirmation"), "one reminder");

        clock.advance(Duration.ofDays(8)); // day 31: both overdue
        a.practice().tick();
        a.practice().tick();
        assertEquals(1, reminders(a, "overdue for re-confirmation"), "one overdue notice");
        JsonNode peers = Json.parse(TestNodes.get(a, "/api/v1/peers").body());
        assertTrue(rowOf(peers, "cert-b.example", "origin").path("contacts_overdue").asBoolean(), peers.toString());
        JsonNode report = Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness?channel=drill").body());
        assertEquals(2, report.path("contacts_overdue").size(), report.toString());
        assertTrue(WebSessions.get(b, WebSessions.signIn(b), "/").body().contains("Points of contact to re-confirm"), "banner on b's desk");

        // b, dishonest, names a in its own confirmation: that confirms b, never a
        // (its own software signs it: b's API refuses the raw act, see the last test)
        var forged = b.node().composer().compose(new io.parley.node.Composer.Draft("drill", io.parley.envelope.Kind.UPDATE, null,
                io.parley.envelope.Priority.ROUTINE, io.parley.envelope.Tlp.GREEN,
                Json.object().put(ContactConfirmations.FIELD, clock.instant().toString()).put("party", "cert-a.example").put("from", "cert-a.example")));
        assertInstanceOf(io.parley.envelope.Verdict.Accepted.class, forged);
        assertTrue(TestNodes.eventually(10, () -> !overdue(a, "cert-b.example")));
        assertTrue(overdue(a, "cert-a.example"), "a is still overdue: only a's own key confirms for a");

        // the API: anonymous 401, an officer 403, an admin confirms
        var anon = TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/contacts/confirm")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(401, anon.statusCode());
        assertEquals(403, TestNodes.post(a, "/api/v1/contacts/confirm", "{}").statusCode(), "an officer may not");
        assertTrue(overdue(a, "cert-a.example"), "refused callers changed nothing");
        a.node().users().put("chief", Passwords.hash("chief-password-1"), "admin", clock.instant());
        // a token of the admin's, so the call does no password hashing on a loaded test machine
        String chief = "Bearer " + a.node().tokens().issue("chief", "chief's", io.parley.auth.Tokens.Scope.WRITE, List.of("*"), Duration.ofDays(1)).secret();
        var ok = TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/contacts/confirm")).header("Authorization", chief)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("drill", Json.parse(ok.body()).path("channels").path(0).path("channel").asText());
        assertFalse(overdue(a, "cert-a.example"));
        assertTrue(TestNodes.eventually(10, () -> !overdue(b, "cert-a.example")), "the signed act reached b");
        assertTrue(Json.parse(TestNodes.get(b, "/api/v1/reports/responsiveness?channel=drill").body()).path("contacts_overdue").isEmpty());
    }

    @Test
    void neitherAnAnonymousCallerNorASigningPeerConfirmsOurContactsOrReadsTheirStanding() throws Exception {
        start(new Practice(null, List.of(), Duration.ofDays(30), List.of()));
        long before = a.node().envelopes().inChannel("drill", 0, 1000).size();
        String[][] routes = {
                {"POST", "/api/v1/contacts/confirm", "application/json", "{}"},
                {"GET", "/api/v1/contacts", null, ""},
                {"POST", "/account/contacts/confirm", "application/x-www-form-urlencoded", ""},
        };
        for (String[] r : routes) {
            for (boolean signed : new boolean[] {false, true}) {
                URI target = URI.create(a.baseUrl() + r[1]);
                byte[] body = r[3].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                HttpRequest.Builder req = HttpRequest.newBuilder(target).method(r[0],
                        body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                if (r[2] != null) req.header("Content-Type", r[2]);
                // b is a pinned peer and a member: its node key signs the request as federation requests are signed
                if (signed) req = io.parley.federation.PeerRequestAuth.sign(req, r[0], target, body, b.node().key(), Instant.now());
                var res = TestNodes.send(req.build());
                String what = (signed ? "peer-signed " : "anonymous ") + r[0] + " " + r[1] + " -> " + res.statusCode() + " " + res.body();
                assertTrue(res.statusCode() == 303 || (res.statusCode() >= 400 && res.statusCode() < 500), what);
                assertFalse(res.body().contains("last_confirmed"), "no standing read: " + what);
            }
        }
        assertEquals(before, a.node().envelopes().inChannel("drill", 0, 1000).size(), "nothing was signed");
        // the web button: an officer's session is refused; nothing signed either
        String cookie = WebSessions.signIn(a);
        var officer = WebSessions.form(a, "/account/contacts/confirm", cookie, "csrf=" + WebSessions.csrf(a, cookie, "/channels/drill"));
        assertEquals(403, officer.statusCode(), officer.body());
        assertEquals(before, a.node().envelopes().inChannel("drill", 0, 1000).size());
        // nor does the raw message route sign one, whoever calls it: a re-confirmation has its own route and permission
        for (String member : List.of("contacts_confirmed", "card", "statement", "evidence_retracted")) {
            var raw = TestNodes.post(a, "/api/v1/channels/drill/messages", "{\"kind\":\"update\",\"body\":{\"" + member + "\":\"2026-01-01T00:00:00Z\"}}");
            assertEquals(400, raw.statusCode(), raw.body());
            assertEquals("/body/" + member, Json.parse(raw.body()).path("errors").get(0).path("pointer").asText(), raw.body());
        }
        assertEquals(before, a.node().envelopes().inChannel("drill", 0, 1000).size());
    }

    boolean overdue(NodeServer n, String party) {
        return n.contacts().status(n.node().now()).stream().anyMatch(s -> s.party().equals(party) && s.overdue());
    }

    long reminders(NodeServer n, String text) {
        return n.node().db().query("SELECT subject FROM notifications WHERE case_id IS NULL AND method = 'log'", rs -> rs.getString(1))
                .stream().filter(s -> s.contains(text)).count();
    }

    static JsonNode rowOf(JsonNode rows, String party) {
        return rowOf(rows, party, "party");
    }

    static JsonNode rowOf(JsonNode rows, String party, String field) {
        for (JsonNode r : rows) if (r.path(field).asText().equals(party)) return r;
        throw new AssertionError("no " + party + " in " + rows);
    }
}
