package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;

/** {@code parley case}, {@code parley ping} and {@code parley report} against three real nodes sharing a fake clock. */
class CaseCliTest {
    @TempDir static Path tmp;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    static NodeServer a, b, c;
    static final Pattern CASE_ID = Pattern.compile("case-\\d{4}-[0-9a-f]{10}-[0-9a-f]{8}");

    @BeforeAll
    static void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        c = TestNodes.start(tmp, "mfa-c.example", null, clock);
        TestNodes.peerAll(a, b, c);
        Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
        d.put(Priority.FLASH, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        d.put(Priority.URGENT, new Charter.Deadlines(Duration.ofHours(2), Duration.ofHours(24)));
        d.put(Priority.ROUTINE, new Charter.Deadlines(Duration.ofHours(24), Duration.ofDays(5)));
        List<Charter.Member> members = new ArrayList<>();
        for (NodeServer n : List.of(a, b, c)) members.add(new Charter.Member(n.node().origin(), n.node().key().verifierKey(), n.baseUrl()));
        Charter charter = new Charter("tri", "hotline", Level.OPERATIONAL, members, d, Tlp.AMBER,
                List.of(new Charter.Rung(Duration.ZERO, "CERT duty officer", null)));
        assertEquals(201, TestNodes.post(a, "/api/v1/channels", Json.write(charter.toJson())).statusCode());
        for (NodeServer n : List.of(b, c)) {
            assertTrue(TestNodes.eventually(10, () -> n.node().channels().charter("tri").isPresent()));
            assertEquals(200, TestNodes.post(n, "/api/v1/channels/tri/sign", TestNodes.signBody(charter)).statusCode());
        }
        for (NodeServer n : List.of(a, b, c)) assertTrue(TestNodes.eventually(15, () -> n.node().charters().active("tri")));
    }

    @AfterAll
    static void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    static CliTest.Result at(NodeServer node, String... args) {
        return PeerChannelCliTest.at(node, args);
    }

    static CliTest.Result ok(NodeServer node, String... args) {
        CliTest.Result r = at(node, args);
        PeerChannelCliTest.assertOk(r);
        return r;
    }

    static void assertOneLineError(CliTest.Result r, String contains) {
        PeerChannelCliTest.assertOneLineError(r, contains);
    }

    static void assertUsageError(CliTest.Result r, String contains) {
        assertEquals(2, r.code(), "usage error: err=" + r.err() + " out=" + r.out());
        assertOneLineError(r, contains);
    }

    static String caseId(String out) {
        Matcher m = CASE_ID.matcher(out);
        assertTrue(m.find(), "a case id in: " + out);
        return m.group();
    }

    /** The line of a table that starts with {@code first}, or null. */
    static String line(String out, String first) {
        return out.lines().filter(l -> l.startsWith(first)).findFirst().orElse(null);
    }

    static boolean listed(NodeServer n, String id, String... alsoContains) {
        CliTest.Result r = at(n, "case", "list", "--channel", "tri");
        String l = r.code() == 0 ? line(r.out(), id) : null;
        return l != null && Arrays.stream(alsoContains).allMatch(l::contains);
    }

    static boolean shows(NodeServer n, String id, String... contains) {
        CliTest.Result r = at(n, "case", "show", id);
        return r.code() == 0 && Arrays.stream(contains).allMatch(r.out()::contains);
    }

    @Test
    void requestOpenedListedAcknowledgedAnsweredShownAndClosed() throws Exception {
        var open = ok(a, "case", "open", "--channel", "tri", "--kind", "request", "--priority", "flash", "--tlp", "amber", "--type", "trace",
                "--summary", "Wiper C2 in your AS", "--asked", "Identify the operator of 203.0.113.7", "--sector", "energy", "--sector", "water",
                "--system", "SCADA gateway", "--window-from", "2026-11-23T06:00:00Z", "--window-to", "2026-11-23T07:30:00+01:00",
                "--legal-basis", "Budapest Convention art. 29", "--indicator", "203.0.113.7", "--indicator", "evil.example",
                "--text", "Seen since 06:10 UTC", "--lang", "en");
        String id = caseId(open.out());
        assertTrue(open.out().startsWith("opened case " + id + " in tri: request (trace), flash, TLP amber"), open.out());
        assertTrue(open.out().lines().anyMatch(l -> l.matches("ack due:     \\S+Z \\(in 15m\\)")), open.out());
        assertTrue(open.out().lines().anyMatch(l -> l.matches("answer due:  \\S+Z \\(in 4h\\)")), open.out());

        // what was signed carries the typed fields
        JsonNode body = a.node().envelopes().inCase("tri", id).get(0).envelope().body();
        assertEquals("trace", body.path("type").asText());
        assertEquals("energy", body.path("affected").path("sectors").get(0).asText());
        assertEquals("SCADA gateway", body.path("affected").path("systems").get(0).asText());
        assertEquals("2026-11-23T06:30:00Z", body.path("window").path("to").asText(), "normalised to UTC");
        assertEquals("evil.example", body.path("indicators").get(1).asText());
        assertEquals("Budapest Convention art. 29", body.path("legal_basis").asText());

        // the other side sees it, pending
        assertTrue(TestNodes.eventually(10, () -> listed(b, id, "open", "request (trace)", "flash", "amber", "cert-a.example", "pending")),
                at(b, "case", "list").out());
        var list = ok(b, "case", "list");
        assertTrue(list.out().startsWith("ID"), list.out());
        assertTrue(list.out().lines().findFirst().orElseThrow().contains("ACK DUE"), list.out());
        var json = ok(b, "case", "list", "--channel", "tri", "--json");
        boolean found = false;
        for (JsonNode x : Json.parse(json.out())) found |= x.path("id").asText().equals(id);
        assertTrue(found, json.out());

        // b acknowledges, updates and answers
        clock.advance(Duration.ofMinutes(5));
        var ack = ok(b, "case", "ack", id, "--text", "On it");
        assertTrue(ack.out().contains("acknowledged case " + id + "; state acknowledged, ack met, answer pending"), ack.out());
        // each step is logged by a before the clock moves on: one logged much later than it is dated counts when logged
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().inCase("tri", id).size() == 2));
        clock.advance(Duration.ofMinutes(10));
        var update = ok(b, "case", "update", id, "--text", "Hosting provider contacted");
        assertTrue(update.out().contains("state in_progress"), update.out());
        assertTrue(TestNodes.eventually(10, () -> a.node().envelopes().inCase("tri", id).size() == 3));
        clock.advance(Duration.ofMinutes(20));
        Path answerBody = tmp.resolve("answer.json");
        Files.writeString(answerBody, "{\"outcome\": \"identified\", \"lang\": \"fr\"}");
        var answer = ok(b, "case", "answer", id, "--text", "Opérateur identifié", "--body-file", answerBody.toString());
        assertTrue(answer.out().contains("answered case " + id + "; state answered, ack met, answer met"), answer.out());
        JsonNode answerEnv = b.node().envelopes().inCase("tri", id).stream().filter(s -> s.envelope().kind().wire().equals("answer")).findFirst()
                .orElseThrow().envelope().body();
        assertEquals("identified", answerEnv.path("outcome").asText());
        assertEquals("fr", answerEnv.path("lang").asText(), "the file's lang stays when --lang is not given");

        // the opener's view
        assertTrue(TestNodes.eventually(10, () -> shows(a, id, "state:       answered")));
        var show = ok(a, "case", "show", id);
        String s = show.out();
        assertTrue(s.contains("case:        " + id), s);
        assertTrue(s.contains("kind:        request (trace)"), s);
        assertTrue(s.contains("summary:     Wiper C2 in your AS"), s);
        assertTrue(s.contains("asked:       Identify the operator of 203.0.113.7"), s);
        assertTrue(s.contains("sectors:     energy, water"), s);
        assertTrue(s.contains("indicators:  203.0.113.7, evil.example"), s);
        assertTrue(s.contains("legal basis: Budapest Convention art. 29"), s);
        assertTrue(s.contains("window:      2026-11-23T06:00:00Z to 2026-11-23T06:30:00Z"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("opened:      ") && l.endsWith("Z by cert-a.example")), s);
        assertTrue(s.contains("ack:         due ") && s.contains(": met, by cert-b.example at ") && s.contains("(after 5m)"), s);
        assertTrue(s.contains("answer:      due ") && s.contains("(after 35m)"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("  cert-b.example") && l.contains("(after 5m)") && l.contains("(after 35m)")), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("  mfa-c.example") && l.contains("waiting")), s);
        assertTrue(s.lines().anyMatch(l -> l.contains("cert-a.example") && l.contains("request") && l.contains("Wiper C2 in your AS")), s);
        assertTrue(s.lines().anyMatch(l -> l.contains("cert-b.example") && l.contains(" ack ") && l.contains("On it")), s);
        assertTrue(s.lines().anyMatch(l -> l.contains("cert-b.example") && l.contains(" update ") && l.contains("Hosting provider contacted")), s);
        assertTrue(s.lines().anyMatch(l -> l.contains("cert-b.example") && l.contains(" answer ") && l.contains("Opérateur identifié")), s);
        assertEquals(id, Json.parse(ok(a, "case", "show", id, "--json").out()).path("id").asText());

        // b cannot open "the same" case: the id is cert-a's
        assertOneLineError(at(b, "send", "--channel", "tri", "--kind", "request", "--case", id, "--text", "mine now"), "is not bound to cert-b.example");
        // the opener cannot acknowledge; b cannot retract; a closes
        assertOneLineError(at(a, "case", "ack", id), "acknowledged and answered by the other side");
        assertOneLineError(at(b, "case", "retract", id), "only the party that opened a case can retract it");
        var close = ok(a, "case", "close", id, "--text", "Thanks, resolved");
        assertTrue(close.out().contains("closed case " + id + "; state closed"), close.out());
        assertOneLineError(at(a, "case", "close", id), "is closed");
        assertTrue(listed(a, id, "closed"), at(a, "case", "list").out());
        var closedOnly = ok(a, "case", "list", "--state", "closed");
        assertNotNull(line(closedOnly.out(), id), closedOnly.out());
        assertTrue(closedOnly.out().lines().skip(1).filter(l -> l.startsWith("case-")).allMatch(l -> l.contains("closed")), closedOnly.out());
        assertTrue(TestNodes.eventually(10, () -> shows(b, id, "state:       closed")));
    }

    @Test
    void notifyRetractedAndAMissedDeadlineIsMarked() throws Exception {
        var n = ok(c, "case", "open", "--channel", "tri", "--kind", "notify", "--priority", "urgent", "--summary", "Exercise on Thursday");
        String notify = caseId(n.out());
        assertFalse(n.out().contains("answer due"), "a notification needs no answer: " + n.out());
        var retract = ok(c, "case", "retract", notify);
        assertTrue(retract.out().contains("state retracted"), retract.out());

        var r = ok(a, "case", "open", "--channel", "tri", "--type", "preservation", "--priority", "flash", "--summary", "Preserve logs",
                "--asked", "Preserve netflow for 90 days");
        String late = caseId(r.out());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(late).isPresent()));
        clock.advance(Duration.ofMinutes(16));
        var list = ok(a, "case", "list", "--channel", "tri", "--state", "open");
        String l = line(list.out(), late);
        assertNotNull(l, list.out());
        assertTrue(l.contains("MISSED") && !l.contains("(late)"), l);
        assertTrue(list.out().contains("overdue: a deadline passed (MISSED) and the response is still awaited"), list.out());
        var show = ok(a, "case", "show", late);
        assertTrue(show.out().contains(": MISSED, no acknowledgement yet, 1m overdue"), show.out());
        assertTrue(show.out().lines().anyMatch(x -> x.startsWith("  cert-b.example") && x.contains("MISSED")), show.out());
        // b acknowledges late
        var ack = ok(b, "case", "ack", late);
        assertTrue(ack.out().contains("ack MISSED"), ack.out());
        assertTrue(TestNodes.eventually(10, () -> shows(a, late, "1m late")), at(a, "case", "show", late).out());
        assertTrue(listed(a, late, "acknowledged", "MISSED (late)"), at(a, "case", "list").out());
        ok(a, "case", "retract", late);
    }

    @Test
    void pingsShowPongsAndHumanAcknowledgements() throws Exception {
        var ping = ok(a, "ping", "--channel", "tri");
        String id = caseId(ping.out());
        assertTrue(ping.out().startsWith("ping " + id + " sent on tri (automatic, routine)"), ping.out());
        assertTrue(ping.out().contains("parley case show " + id), ping.out());
        assertTrue(TestNodes.eventually(10, () -> shows(a, id, "kind:        ping (auto)", "state:       acknowledged")));
        assertTrue(TestNodes.eventually(10, () -> {
            String s = at(a, "case", "show", id).out();
            return s.lines().filter(x -> x.contains(" pong ") && x.contains("the line is up")).count() == 2;
        }), at(a, "case", "show", id).out());
        String s = ok(a, "case", "show", id).out();
        assertTrue(s.contains("answer:      not needed (ping)"), s);
        assertTrue(s.lines().anyMatch(x -> x.startsWith("  cert-b.example") && x.contains("(after")), s);
        assertTrue(s.lines().anyMatch(x -> x.startsWith("  mfa-c.example") && x.contains("(after")), s);

        var human = ok(a, "ping", "--channel", "tri", "--human", "--priority", "flash");
        String hid = caseId(human.out());
        assertTrue(human.out().contains("(human, flash)"), human.out());
        assertTrue(human.out().contains("ack due:     "), human.out());
        assertTrue(TestNodes.eventually(10, () -> listed(b, hid, "ping", "pending")));
        clock.advance(Duration.ofMinutes(2));
        ok(b, "case", "ack", hid, "--text", "duty officer here");
        assertTrue(TestNodes.eventually(10, () -> shows(a, hid, "duty officer here")));
        String hs = ok(a, "case", "show", hid).out();
        assertTrue(hs.contains("kind:        ping (human)"), hs);
        assertTrue(hs.lines().anyMatch(x -> x.startsWith("  cert-b.example") && x.contains("(after 2m)")), hs);
        assertTrue(hs.lines().anyMatch(x -> x.startsWith("  mfa-c.example") && x.contains("waiting")), hs);
    }

    @Test
    void reportTableCsvAndFile() throws Exception {
        // a fresh period of its own, so other tests' cases do not count
        clock.advance(Duration.ofDays(2));
        Instant from = clock.instant();
        String id = caseId(ok(a, "case", "open", "--channel", "tri", "--type", "information", "--priority", "urgent", "--summary", "Who owns AS64500?",
                "--asked", "Contact for AS64500").out());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        clock.advance(Duration.ofMinutes(7));
        ok(b, "case", "ack", id);
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.ackedAt() != null).orElse(false)));
        clock.advance(Duration.ofMinutes(83));
        ok(b, "case", "answer", id, "--text", "abuse@as64500.example");
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(id).map(t -> t.answeredAt() != null).orElse(false)));
        String ping = caseId(ok(a, "ping", "--channel", "tri").out());
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(ping).map(t -> t.responses().size() == 2).orElse(false)));
        String fromText = from.toString(), toText = from.plus(Duration.ofDays(1)).toString();

        var table = ok(a, "report", "--channel", "tri", "--from", fromText, "--to", toText);
        String t = table.out();
        assertTrue(t.startsWith("responsiveness in tri, cases opened from " + fromText + " to " + toText), t);
        String header = t.lines().skip(1).findFirst().orElseThrow();
        for (String h : List.of("PARTY", "REQUESTS", "ACK IN TIME", "ANSWER IN TIME", "MEDIAN ACK", "P90 ACK", "MEDIAN ANSWER", "P90 ANSWER",
                "PINGS FAILED", "OUTAGES", "DOWNTIME")) assertTrue(header.contains(h), header);
        String rowB = line(t, "cert-b.example");
        assertNotNull(rowB, t);
        List<String> cells = Arrays.asList(rowB.split("\\s{2,}"));
        assertEquals(14, cells.size(), rowB);
        assertEquals(List.of("cert-b.example", "1", "1", "100% (1/1)", "100% (1/1)", "1/0/0", "7m", "7m", "1h30m", "1h30m", "0/1"), cells.subList(0, 11), t);
        assertTrue(cells.get(12).matches("\\d+[smhd].*"), "downtime in human units: " + rowB);
        assertEquals("0", cells.get(13), "no message of b was dated beyond the clock skew: " + rowB);
        String rowC = line(t, "mfa-c.example");
        assertTrue(rowC.contains("0/1") && !rowC.contains("%"), "c's deadlines are still pending: " + rowC);

        var csv = ok(a, "report", "--channel", "tri", "--from", fromText, "--to", toText, "--csv");
        String api = TestNodes.get(a, "/api/v1/reports/responsiveness?channel=tri&from=" + fromText + "&to=" + toText + "&format=csv").body();
        assertEquals(api, csv.out(), "the CSV as the API returns it");
        assertTrue(csv.out().startsWith("channel,party,from,to,"), csv.out());

        Path file = tmp.resolve("report.csv");
        var written = ok(a, "report", "--channel", "tri", "--from", fromText, "--to", toText, "--csv", "--out", file.toString());
        assertTrue(written.out().contains("wrote the responsiveness report of tri to " + file), written.out());
        assertEquals(api, Files.readString(file));

        var dates = ok(a, "report", "--channel", "tri", "--from", "2026-11-01", "--json");
        assertEquals("2026-11-01T00:00:00Z", Json.parse(dates.out()).path("from").asText());
    }

    @Test
    void badInput() throws Exception {
        assertOneLineError(at(a, "case", "show", "case-2026-0000000000"), "no case 'case-2026-0000000000' is known here");
        assertOneLineError(at(b, "case", "ack", "case-2026-0000000000"), "no case 'case-2026-0000000000'");
        assertOneLineError(at(b, "case", "answer", "nope", "--text", "x"), "no case 'nope'");

        String[] base = {"case", "open", "--channel", "tri", "--type", "trace", "--summary", "s", "--asked", "q"};
        assertUsageError(at(a, concat(base, "--priority", "sometimes")), "--priority");
        assertUsageError(at(a, concat(base, "--kind", "gossip")), "--kind must be request or notify");
        assertUsageError(at(a, concat(base, "--tlp", "purple")), "--tlp");
        assertOneLineError(at(a, concat(base, "--window-from", "yesterday")), "--window-from must be an RFC 3339 time");
        assertOneLineError(at(a, concat(base, "--window-from", "2026-11-23T08:00:00Z", "--window-to", "2026-11-23T07:00:00Z")), "before --window-to");
        assertUsageError(at(a, "case", "open", "--channel", "tri", "--type", "gossip", "--summary", "s", "--asked", "q"), "--type must be one of");
        assertUsageError(at(a, "case", "open", "--channel", "tri", "--type", "trace", "--summary", "s"), "--asked is required");
        assertUsageError(at(a, "case", "open", "--channel", "tri", "--type", "trace", "--asked", "q"), "--summary is required");
        assertUsageError(at(a, "case", "open", "--channel", "tri", "--summary", "s", "--asked", "q"), "--type is required");
        assertUsageError(at(a, "case", "open", "--channel", "tri", "--kind", "notify", "--type", "trace", "--summary", "s"), "--type is for requests");
        assertUsageError(at(a, "case", "open", "--summary", "s"), "--channel");
        assertOneLineError(at(a, "case", "open", "--channel", "no-such", "--kind", "notify", "--summary", "s"), "no channel 'no-such'");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{oops");
        assertOneLineError(at(a, concat(base, "--body-file", bad.toString())), "not valid JSON");
        assertOneLineError(at(a, "case", "ack", "x", "--body-file", tmp.resolve("missing.json").toString()), "no such file");
        Files.writeString(bad, "{\"type\": \"trace\", \"summary\": \"s\", \"asked\": \"q\", \"window\": {\"from\": \"soon\"}}");
        assertOneLineError(at(a, "case", "open", "--channel", "tri", "--body-file", bad.toString()), "/body/window/from");

        assertUsageError(at(a, "case", "list", "--state", "sleeping"), "--state must be one of");
        assertUsageError(at(a, "case", "list", "--limit", "0"), "--limit");
        assertUsageError(at(a, "ping", "--channel", "tri", "--priority", "asap"), "--priority must be flash, urgent or routine");
        assertOneLineError(at(a, "ping", "--channel", "no-such"), "no channel 'no-such'");
        assertUsageError(at(a, "report", "--channel", "tri", "--from", "last week"), "--from must be an RFC 3339 time");
        assertUsageError(at(a, "report", "--channel", "tri", "--from", "2026-11-02", "--to", "2026-11-01"), "--from must be before --to");
        assertOneLineError(at(a, "report", "--channel", "no-such"), "no channel 'no-such'");
        assertOneLineError(at(a, "report", "--channel", "no-such", "--csv"), "no channel 'no-such'");
        assertOneLineError(CliTest.run("report", "--channel", "tri", "--csv", "--url", "http://127.0.0.1:1", "--user", "duty", "--password", "x"), "cannot connect");
        assertOneLineError(CliTest.run("case", "list", "--url", a.baseUrl(), "--user", TestNodes.USER, "--password", "wrong"), "wrong password");
        assertOneLineError(CliTest.run("case"), "subcommand is required");
    }

    @Test
    void helpForTheCaseCommands() {
        for (String[] cmd : new String[][] {{"case", "list"}, {"case", "open"}, {"case", "show"}, {"case", "ack"}, {"case", "update"},
                {"case", "answer"}, {"case", "close"}, {"case", "retract"}, {"ping"}, {"report"}}) {
            var r = CliTest.run(concat(cmd, "--help"));
            assertEquals(0, r.code(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage: parley " + String.join(" ", cmd)), r.out());
        }
    }

    static String[] concat(String[] a, String... more) {
        String[] out = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
