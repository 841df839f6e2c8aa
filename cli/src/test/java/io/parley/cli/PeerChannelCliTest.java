package io.parley.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** {@code parley peer} and {@code parley channel} against real nodes on loopback. */
class PeerChannelCliTest {
    @TempDir Path tmp;
    NodeServer a;
    NodeServer b;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
    }

    @AfterEach
    void stop() {
        Terminal.input = null;
        if (a != null) a.close();
        if (b != null) b.close();
    }

    /** Runs a command against {@code node}'s API as the test user. */
    static CliTest.Result at(NodeServer node, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--url", node.baseUrl(), "--user", TestNodes.USER, "--password", TestNodes.PASSWORD));
        return CliTest.run(all.toArray(String[]::new));
    }

    static CliTest.Result answering(String answer, NodeServer node, String... args) {
        Terminal.input = answer == null ? new ByteArrayInputStream(new byte[0]) : new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8));
        try {
            return at(node, args);
        } finally {
            Terminal.input = null;
        }
    }

    static void assertOk(CliTest.Result r) {
        assertEquals(0, r.code(), "err=" + r.err() + " out=" + r.out());
        assertEquals("", r.err().strip(), r.err());
    }

    static void assertOneLineError(CliTest.Result r, String contains) {
        assertNotEquals(0, r.code(), "exit code; out=" + r.out());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "exactly one line: " + err);
        assertTrue(err.startsWith("parley: "), err);
        assertTrue(err.contains(contains), "'" + err + "' should mention '" + contains + "'");
    }

    static String fp(NodeServer n) {
        return n.node().key().verifierKey().fingerprint();
    }

    /** Each node adds the other, pinning the fingerprint. */
    static void peerBothWays(NodeServer x, NodeServer y) {
        assertOk(at(x, "peer", "add", y.baseUrl(), "--fingerprint", fp(y), "--yes"));
        assertOk(at(y, "peer", "add", x.baseUrl(), "--fingerprint", fp(x)));
    }

    @Test
    void peerAddWithFingerprintListAndRefresh() throws Exception {
        var add = at(a, "peer", "add", b.baseUrl(), "--fingerprint", fp(b), "--yes");
        assertOk(add);
        assertTrue(add.out().contains("peer added: cert-b.example at " + b.baseUrl()), add.out());
        assertTrue(add.out().contains("fingerprint: " + fp(b)), add.out());
        assertEquals(b.node().key().verifierKey(), a.node().knownCard("cert-b.example").orElseThrow().verifierKey());

        var list = at(a, "peer", "list");
        assertOk(list);
        String[] lines = list.out().strip().split("\n");
        assertTrue(lines[0].startsWith("ORIGIN"), list.out());
        assertTrue(lines[0].contains("LINE") && lines[0].contains("QUEUED") && lines[0].contains("FLAGGED"), lines[0]);
        assertTrue(Arrays.stream(lines).anyMatch(l -> l.startsWith("cert-b.example") && l.contains(fp(b))), list.out());
        assertFalse(list.out().contains("cert-a.example"), "the node itself is not its own peer: " + list.out());

        var json = at(a, "peer", "list", "--json");
        assertOk(json);
        var peers = Json.parse(json.out());
        assertEquals(1, peers.size());
        assertEquals("cert-b.example", peers.get(0).path("origin").asText());
        assertEquals(fp(b), peers.get(0).path("fingerprint").asText());

        var refresh = at(a, "peer", "refresh", "cert-b.example");
        assertOk(refresh);
        assertTrue(refresh.out().contains("refreshed cert-b.example: key unchanged"), refresh.out());
        assertOneLineError(at(a, "peer", "refresh", "cert-z.example"), "not a known peer");
    }

    @Test
    void interactiveAddAnsweredYesPinsTheFingerprintShown() throws Exception {
        var r = answering("y\n", a, "peer", "add", b.baseUrl());
        assertOk(r);
        assertTrue(r.out().contains("origin:        cert-b.example"), r.out());
        assertTrue(r.out().contains("organisation:  CERT"), r.out());
        assertTrue(r.out().contains("country:       XA"), r.out());
        assertTrue(r.out().contains("fingerprint:   " + fp(b)), r.out());
        assertTrue(r.out().contains("Compare this fingerprint with cert-b.example out of band. Trust it? [y/N]"), r.out());
        assertTrue(r.out().contains("peer added: cert-b.example"), r.out());
        assertTrue(a.node().knownCard("cert-b.example").isPresent());
    }

    @Test
    void interactiveAddAnsweredNoOrNothingAddsNothing() throws Exception {
        var no = answering("n\n", a, "peer", "add", b.baseUrl());
        assertOneLineError(no, "not trusted: cert-b.example was not added");
        assertTrue(no.out().contains("Trust it? [y/N]"), no.out());
        assertTrue(a.node().knownCard("cert-b.example").isEmpty());

        assertOneLineError(answering(null, a, "peer", "add", b.baseUrl()), "not trusted");
        assertOneLineError(answering("yes please\n", a, "peer", "add", b.baseUrl()), "not trusted");
        assertTrue(a.node().knownCard("cert-b.example").isEmpty());
    }

    @Test
    void peerAddRefusals() throws Exception {
        String other = io.parley.identity.SigningKey.generate("cert-b.example").verifierKey().fingerprint();
        var wrong = at(a, "peer", "add", b.baseUrl(), "--fingerprint", other);
        assertOneLineError(wrong, "do not trust it");
        assertTrue(wrong.err().contains("(HTTP 409)"), wrong.err());
        assertTrue(a.node().knownCard("cert-b.example").isEmpty());

        var blind = at(a, "peer", "add", b.baseUrl(), "--yes");
        assertEquals(2, blind.code());
        assertOneLineError(blind, "--yes needs --fingerprint");

        var malformed = at(a, "peer", "add", b.baseUrl(), "--fingerprint", "abc");
        assertEquals(2, malformed.code());
        assertOneLineError(malformed, "--fingerprint must look like SHA256:");

        assertOneLineError(at(a, "peer", "add", "ftp://x.example", "--fingerprint", fp(b)), "URL must start with http://");
        assertOneLineError(answering("y\n", a, "peer", "add", "http://127.0.0.1:1"), "cannot connect");
        assertOneLineError(CliTest.run("peer", "add", b.baseUrl(), "--url", a.baseUrl(), "--user", TestNodes.USER, "--password", "wrong"), "wrong password");
        assertOneLineError(at(a, "peer", "add", a.baseUrl(), "--fingerprint", fp(a)), "this node itself");
        assertOneLineError(CliTest.run("peer"), "subcommand is required");
    }

    @Test
    void proposeSignShowListAndAmendBetweenTwoNodes() throws Exception {
        peerBothWays(a, b);
        var proposed = at(a, "channel", "propose", "--id", "ch-ab", "--title", "A-B incident line", "--level", "operational",
                "--member", "cert-b.example", "--tlp-ceiling", "amber", "--ack-flash", "PT10M",
                "--rung", "PT0S=duty officer", "--rung", "PT1H=head of CERT;+000 555 0100");
        assertOk(proposed);
        assertTrue(proposed.out().contains("proposed channel ch-ab (A-B incident line), state proposed"), proposed.out());
        assertTrue(proposed.out().contains("awaiting the signatures of cert-b.example"), proposed.out());

        assertTrue(TestNodes.eventually(10, () -> b.node().channels().charter("ch-ab").isPresent()), "the proposal reached cert-b");
        var pending = at(b, "channel", "show", "ch-ab");
        assertOk(pending);
        assertTrue(pending.out().contains("state:        proposed"), pending.out());
        assertTrue(pending.out().contains("signed by cert-a.example; awaiting cert-b.example"), pending.out());
        assertTrue(pending.out().contains("to sign:      parley channel sign ch-ab"), pending.out());

        var signed = answering("y\n", b, "channel", "sign", "ch-ab");
        assertOk(signed);
        assertTrue(signed.out().contains("signed the terms of channel ch-ab"), signed.out());
        assertTrue(TestNodes.eventually(10, () -> a.node().charters().active("ch-ab") && b.node().charters().active("ch-ab")),
                "ch-ab active on both nodes");

        var charter = a.node().channels().charter("ch-ab").orElseThrow();
        assertEquals(2, charter.members().size());
        assertEquals(b.baseUrl(), charter.member("cert-b.example").orElseThrow().baseUrl());
        assertEquals(java.time.Duration.ofMinutes(10), charter.deadlines().get(io.parley.envelope.Priority.FLASH).ack());
        assertEquals(java.time.Duration.ofDays(5), charter.deadlines().get(io.parley.envelope.Priority.ROUTINE).answer());
        assertEquals("+000 555 0100", charter.escalation().get(1).contact());

        var show = at(a, "channel", "show", "ch-ab");
        assertOk(show);
        String s = show.out();
        assertTrue(s.contains("state:        active"), s);
        assertTrue(s.contains("level:        operational"), s);
        assertTrue(s.contains("TLP ceiling:  amber"), s);
        assertTrue(s.lines().anyMatch(l -> l.contains("cert-a.example") && l.contains(fp(a)) && l.contains("this node")), s);
        assertTrue(s.lines().anyMatch(l -> l.contains("cert-b.example") && l.contains(fp(b)) && l.contains("known peer")), s);
        assertTrue(s.contains("PT10M"), s);
        assertTrue(s.contains("after PT1H: head of CERT (+000 555 0100)"), s);
        assertTrue(s.contains("all members signed"), s);

        var list = at(b, "channel", "list");
        assertOk(list);
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("ch-ab") && l.contains("active") && l.contains("operational")
                && l.contains("cert-a.example,cert-b.example") && l.contains("A-B incident line")), list.out());
        var listJson = at(b, "channel", "list", "--json");
        assertOk(listJson);
        assertEquals("ch-ab", Json.parse(listJson.out()).get(0).path("id").asText());

        // amend: start from the charter in force, change the title and the ceiling
        var current = at(a, "channel", "show", "ch-ab", "--charter");
        assertOk(current);
        ObjectNode terms = (ObjectNode) Json.parse(current.out());
        terms.put("title", "A-B line, amended").put("tlp_ceiling", "amber+strict");
        Path file = tmp.resolve("charter.json");
        Files.writeString(file, Json.pretty(terms));
        var amend = at(a, "channel", "amend", "ch-ab", "--file", file.toString());
        assertOk(amend);
        assertTrue(amend.out().contains("proposed an amendment of channel ch-ab"), amend.out());
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().pending("ch-ab").isPresent()), "the amendment reached cert-b");
        var showPending = at(b, "channel", "show", "ch-ab");
        assertOk(showPending);
        assertTrue(showPending.out().contains("pending amendment"), showPending.out());
        assertTrue(showPending.out().contains("A-B line, amended"), showPending.out());
        assertTrue(showPending.out().contains("awaiting cert-b.example"), showPending.out());
        assertOk(answering("y\n", b, "channel", "sign", "ch-ab"));
        assertTrue(TestNodes.eventually(10, () -> a.node().channels().charter("ch-ab").orElseThrow().title().equals("A-B line, amended")
                && b.node().channels().charter("ch-ab").orElseThrow().title().equals("A-B line, amended")), "the amendment took effect on both");

        // a proposal from a file
        Path file2 = tmp.resolve("charter2.json");
        terms.put("channel", "ch-ab-2");
        Files.writeString(file2, Json.pretty(terms));
        var fromFile = at(a, "channel", "propose", "--file", file2.toString());
        assertOk(fromFile);
        assertTrue(fromFile.out().contains("proposed channel ch-ab-2"), fromFile.out());
        assertOneLineError(at(a, "channel", "propose", "--file", file2.toString()), "exists already");
        assertOneLineError(at(a, "channel", "amend", "ch-ab", "--file", file2.toString()), "not ch-ab");
    }

    @Test
    void signShowsTheTermsAndSignsOnlyTheHashReviewed() throws Exception {
        peerBothWays(a, b);
        assertOk(at(a, "channel", "propose", "--id", "ch-h", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "amber"));
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().charter("ch-h").isPresent()));
        String hash = (b.node().channels().charter("ch-h").orElseThrow()).hash();
        // answered no: the terms and their hash are shown, nothing is signed
        var declined = answering("n\n", b, "channel", "sign", "ch-h");
        assertTrue(declined.out().contains("terms SHA-256: " + hash), declined.out());
        assertTrue(declined.out().contains(a.node().key().verifierKey().fingerprint()), "members' fingerprints are shown: " + declined.out());
        assertOneLineError(declined, "--charter-hash " + hash);
        // a hash other than that of the terms awaiting signature: refused by the node
        assertOneLineError(at(b, "channel", "sign", "ch-h", "--charter-hash", "0".repeat(64)), "review them again");
        assertOneLineError(at(b, "channel", "sign", "ch-h", "--charter-hash", "not-a-hash"), "--charter-hash");
        assertTrue(b.node().channels().signers("ch-h", hash).equals(java.util.Set.of("cert-a.example")), "nothing was signed yet");
        // non-interactive, with the hash reviewed
        var signed = at(b, "channel", "sign", "ch-h", "--charter-hash", hash);
        assertOk(signed);
        assertTrue(signed.out().contains("(SHA-256 " + hash + ")"), signed.out());
        assertTrue(TestNodes.eventually(10, () -> a.node().charters().active("ch-h")));
    }

    @Test
    void channelBadInput() throws Exception {
        assertOneLineError(at(a, "channel", "show", "no-such-channel"), "no channel 'no-such-channel'");
        assertOneLineError(at(a, "channel", "sign", "no-such-channel"), "no channel 'no-such-channel'");

        var cosmic = at(a, "channel", "propose", "--id", "ch-x", "--level", "cosmic", "--member", "cert-b.example", "--tlp-ceiling", "amber");
        assertOneLineError(cosmic, "--level must be technical, operational or political");
        assertOneLineError(at(a, "channel", "propose", "--id", "ch-x", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "purple"),
                "--tlp-ceiling");
        assertOneLineError(at(a, "channel", "propose", "--id", "ch-x", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "red",
                "--ack-flash", "15 minutes"), "--ack-flash must be an ISO 8601 duration");
        assertOneLineError(at(a, "channel", "propose", "--id", "ch-x", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "red",
                "--rung", "head of CERT"), "--rung must be AFTER=ROLE");
        assertOneLineError(at(a, "channel", "propose", "--id", "ch x", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "red"),
                "--id must be an identifier");
        assertOneLineError(at(a, "channel", "propose", "--id", "ch-x", "--level", "technical", "--tlp-ceiling", "red"), "--member is required");
        assertOneLineError(at(a, "channel", "propose", "--id", "ch-x", "--level", "technical", "--member", "cert-b.example", "--tlp-ceiling", "red"),
                "cert-b.example is not a known peer");
        assertOneLineError(at(a, "channel", "propose"), "either --file or --id");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{oops");
        assertOneLineError(at(a, "channel", "propose", "--file", bad.toString()), "not valid JSON");
        assertOneLineError(at(a, "channel", "propose", "--file", bad.toString(), "--id", "x"), "either --file or");
        Files.writeString(bad, "{\"channel\":\"c\",\"level\":\"cosmic\"}");
        assertOneLineError(at(a, "channel", "propose", "--file", bad.toString()), "/level");
        assertOneLineError(at(a, "channel", "propose", "--file", tmp.resolve("missing.json").toString()), "no such file");
        assertOneLineError(CliTest.run("channel", "list", "--url", "http://127.0.0.1:1", "--user", "duty", "--password", "x"), "cannot connect");
    }

    @Test
    void helpForTheNewCommands() {
        for (String[] cmd : new String[][] {{"peer", "add"}, {"peer", "list"}, {"peer", "refresh"}, {"channel", "list"}, {"channel", "show"},
                {"channel", "propose"}, {"channel", "sign"}, {"channel", "amend"}, {"key", "rotate"}}) {
            var r = CliTest.run(cmd[0], cmd[1], "--help");
            assertEquals(0, r.code(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage: parley " + cmd[0] + " " + cmd[1]), r.out());
        }
        assertTrue(CliTest.run("key", "rotate", "--help").out().contains("stop the node first"));
    }
}
