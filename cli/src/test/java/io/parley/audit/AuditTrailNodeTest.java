package io.parley.audit;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.auth.Passwords;
import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.cli.ParleyCli;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.Sha256;
import io.parley.json.Json;
import io.parley.log.LogEntry;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.verifier.Commands;

/**
 * The audit trail on two real nodes over loopback: every audited action (API, web UI, CLI) lands with its actor and
 * address; only an admin reads the trail (API and page); the head is committed to the transparency log and witnessed
 * by the peer; and tampering with the database is caught by the API flag, the page and {@code parley audit verify},
 * including a rewrite that recomputes every later hash and a trail cut back and regrown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailNodeTest {
    @TempDir static Path tmp;
    static final String ADMIN = "chief", VIEWER = "watcher", CLERK = "clerk", PASSWORD = "audit-password-1";
    static final String LOCAL = "127.0.0.1";
    NodeServer a, b;
    final List<String> secrets = new ArrayList<>(List.of(PASSWORD, TestNodes.PASSWORD));

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        String hash = Passwords.hash(PASSWORD);
        a.node().users().put(ADMIN, hash, "admin", Instant.now());
        a.node().users().put(VIEWER, hash, "viewer", Instant.now());
        a.node().users().put(CLERK, hash, "officer", Instant.now());
        a.node().users().setChannels(CLERK, List.of("*"));
    }

    @AfterAll
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    @Test
    @Order(1)
    void everyAuditedActionLandsWithActorAndAddress() throws Exception {
        // peer pinning, both ways, through the API (what 'parley peer add' calls)
        TestNodes.peerAll(a, b);
        assertLast(a, "peer-pinned", TestNodes.USER, b.node().origin(), b.node().card().fingerprint());
        // a charter proposed at A, signed at B, then amended at A
        Charter terms = charter("audited", "A-B line");
        var proposed = TestNodes.post(a, "/api/v1/channels", Json.write(terms.toJson()));
        assertEquals(201, proposed.statusCode(), proposed.body());
        assertLast(a, "charter-proposed", TestNodes.USER, "audited", terms.hash());
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().charter("audited").isPresent()));
        var signed = TestNodes.post(b, "/api/v1/channels/audited/sign", TestNodes.signBody(terms));
        assertEquals(200, signed.statusCode(), signed.body());
        assertLast(b, "charter-signed", TestNodes.USER, "audited", terms.hash());
        assertTrue(TestNodes.eventually(15, () -> a.node().charters().active("audited") && b.node().charters().active("audited")));
        Charter amended = charter("audited", "A-B line, amended");
        var amend = TestNodes.post(a, "/api/v1/channels/audited/amend", Json.write(amended.toJson()));
        assertEquals(200, amend.statusCode(), amend.body());
        assertLast(a, "charter-amended", TestNodes.USER, "audited", amended.hash());
        // B signs the amendment in its web UI
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().pending("audited").isPresent()));
        String bCsrf = csrfOnAsDuty(b, "/channels/audited");
        var webSign = TestNodes.send(HttpRequest.newBuilder(uri(b, "/channels/audited/sign")).header("Cookie", session(b, TestNodes.USER, TestNodes.PASSWORD))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(bCsrf) + "&charter_hash=" + amended.hash() + "&back=channel")).build());
        assertEquals(303, webSign.statusCode(), webSign.body());
        assertLast(b, "charter-signed", TestNodes.USER, "audited", amended.hash());
        // evidence exported as MISP and IODEF
        String stix;
        try (var in = getClass().getClassLoader().getResourceAsStream("evidence/examples/indicator-for-c2-ip-address.json")) {
            stix = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var uploaded = TestNodes.post(a, "/api/v1/evidence", stix);
        assertTrue(uploaded.statusCode() == 201 || uploaded.statusCode() == 200, uploaded.body());
        String sha = Json.parse(uploaded.body()).path("sha256").asText();
        assertEquals(200, TestNodes.get(a, "/api/v1/evidence/" + sha + "/misp").statusCode());
        assertLast(a, "export", TestNodes.USER, "evidence " + sha, "MISP");
        assertEquals(200, TestNodes.get(a, "/api/v1/evidence/" + sha + "/iodef").statusCode());
        assertLast(a, "export", TestNodes.USER, "evidence " + sha, "IODEF");
        // a case bundle exported
        var opened = TestNodes.post(a, "/api/v1/channels/audited/cases", "{\"kind\":\"request\",\"priority\":\"routine\",\"tlp\":\"amber\","
                + "\"body\":{\"summary\":\"audit me\",\"type\":\"information\",\"asked\":\"please confirm\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("case").path("id").asText(Json.parse(opened.body()).path("id").asText());
        var export = TestNodes.get(a, "/api/v1/cases/" + caseId + "/evidence?channel=audited");
        assertEquals(200, export.statusCode(), export.body());
        assertLast(a, "export", TestNodes.USER, "case audited/" + caseId, "case bundle");
        // a RED grant by the admin
        var grant = as(ADMIN, HttpRequest.newBuilder(uri(a, "/api/v1/red-grants/" + CLERK)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"audited\"]}")));
        assertEquals(200, grant.statusCode(), grant.body());
        assertLast(a, "red-grant", ADMIN, CLERK, "audited");
        // a token: on the record by its public id, never its secret; and its revocation
        var token = TestNodes.post(a, "/api/v1/tokens", "{\"label\":\"siem\"}");
        assertEquals(201, token.statusCode(), token.body());
        String tokenText = Json.parse(token.body()).path("token").asText();
        String tokenId = Json.parse(token.body()).path("id").asText();
        secrets.add(tokenText);
        secrets.add(Sha256.hex(tokenText.getBytes(StandardCharsets.UTF_8)));
        assertLast(a, "token-created", TestNodes.USER, tokenId, "siem");
        var revoked = TestNodes.send(HttpRequest.newBuilder(uri(a, "/api/v1/tokens/" + tokenId)).header("Authorization", TestNodes.basicAuth())
                .header("Content-Type", "application/json").DELETE().build());
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertLast(a, "token-revoked", TestNodes.USER, tokenId, "owner " + TestNodes.USER);
        // accounts in the web UI, by an admin
        String csrf = csrfOn(a, "/users", ADMIN);
        var saved = as(ADMIN, HttpRequest.newBuilder(uri(a, "/users")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(csrf) + "&username=night-desk&password=night-desk-secret&role=officer&channels=audited")));
        assertEquals(303, saved.statusCode(), saved.body());
        secrets.add("night-desk-secret");
        assertLast(a, "user-created", ADMIN, "night-desk", "officer on audited");
        var disabled = as(ADMIN, HttpRequest.newBuilder(uri(a, "/users/night-desk/disable")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(csrf))));
        assertEquals(303, disabled.statusCode(), disabled.body());
        assertLast(a, "user-disabled", ADMIN, "night-desk", "");
        // accounts on the command line: actor and address "cli"
        assertEquals(0, cli("user", "add", "--dir", a.node().dir().toString(), "night-desk", "--role", "viewer", "--password", "cli-secret-pw").code());
        secrets.add("cli-secret-pw");
        assertLast(a, "user-changed", "cli", "night-desk", "was officer on audited, disabled; now viewer");
        assertEquals("cli", a.node().audit().head().orElseThrow().from());
        assertEquals(0, cli("user", "disable", "--dir", a.node().dir().toString(), "night-desk").code());
        assertLast(a, "user-disabled", "cli", "night-desk", "");
        // a refused request by a signed-in account leaves a trace
        var refused = as(VIEWER, HttpRequest.newBuilder(uri(a, "/api/v1/red-grants/" + VIEWER)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"*\"]}")));
        assertEquals(403, refused.statusCode());
        AuditRecord denial = assertLast(a, "access-denied", VIEWER, "PUT /api/v1/red-grants/{username}", "grant-red");
        assertFalse(denial.ok());
    }

    @Test
    @Order(2)
    void theTrailNeverHoldsAPasswordOrAToken() {
        List<AuditRecord> all = a.node().audit().after(0, 1000);
        assertTrue(all.size() >= 10, "records: " + all.size());
        for (AuditRecord r : all) {
            String text = Json.write(r.toJson());
            for (String secret : secrets) assertFalse(text.contains(secret), "record " + r.seq() + " holds a secret: " + text);
            assertFalse(text.contains("$argon2"), "no password hash either: " + text);
        }
    }

    @Test
    @Order(3)
    void onlyAnAdminReadsTheTrail() throws Exception {
        for (String path : List.of("/api/v1/audit", "/audit")) {
            var anonymous = TestNodes.send(HttpRequest.newBuilder(uri(a, path)).GET().build());
            assertEquals(path.startsWith("/api/") ? 401 : 303, anonymous.statusCode(), path + " (the web UI sends to its sign-in form)");
            assertFalse(anonymous.body().contains(ADMIN) || anonymous.body().contains("charter-signed"), anonymous.body());
            for (String who : List.of(VIEWER, CLERK)) {
                var res = as(who, HttpRequest.newBuilder(uri(a, path)).GET());
                assertEquals(403, res.statusCode(), who + " on " + path + ": " + res.body());
                assertTrue(res.body().contains("read-audit"), res.body());
                assertFalse(res.body().contains("red-grant"), "a refusal shows no record: " + res.body());
            }
        }
        var api = as(ADMIN, HttpRequest.newBuilder(uri(a, "/api/v1/audit?limit=3&order=newest")).GET());
        assertEquals(200, api.statusCode(), api.body());
        assertTrue(api.headers().firstValue("Content-Type").orElse("").contains("application/json"));
        JsonNode body = Json.parse(api.body());
        assertEquals(3, body.path("records").size());
        long head = body.path("head").path("seq").asLong();
        assertEquals(head, body.path("records").get(0).path("seq").asLong(), "newest first");
        assertEquals(head - 2, body.path("next_before").asLong());
        assertTrue(body.path("verification").path("ok").asBoolean(), api.body());
        JsonNode first = body.path("records").get(0);
        assertEquals(64, first.path("hash").asText().length());
        // filters, and a bad one is a problem, not a 500
        var grants = Json.parse(as(ADMIN, HttpRequest.newBuilder(uri(a, "/api/v1/audit?action=red-grant&actor=" + ADMIN)).GET()).body());
        assertEquals(1, grants.path("records").size(), grants.toString());
        for (String bad : List.of("limit=0", "limit=1001", "after=-1", "action=nonsense", "order=sideways", "actor=" + "x".repeat(200))) {
            var res = as(ADMIN, HttpRequest.newBuilder(uri(a, "/api/v1/audit?" + bad)).GET());
            assertEquals(400, res.statusCode(), bad + ": " + res.body());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), bad);
        }
        var page = as(ADMIN, HttpRequest.newBuilder(uri(a, "/audit")).GET());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertTrue(page.body().contains("The trail verifies") && page.body().contains("charter-proposed") && page.body().contains("night-desk"), page.body());
        assertFalse(page.body().contains("<script"), "no script on the page");
    }

    @Test
    @Order(3)
    void theCliListsTheTrailOffline() {
        Cli list = cli("audit", "list", "--dir", a.node().dir().toString(), "--action", "red-grant", "--limit", "5");
        assertEquals(0, list.code(), list.err());
        List<String> lines = list.out().strip().lines().toList();
        assertEquals(2, lines.size(), list.out());
        assertTrue(lines.get(0).startsWith("SEQ") && lines.get(1).contains(ADMIN) && lines.get(1).contains(CLERK) && lines.get(1).contains(LOCAL), list.out());
        for (String[] bad : new String[][] {{"--limit", "0"}, {"--action", "nonsense"}}) {
            Cli c = cli("audit", "list", "--dir", a.node().dir().toString(), bad[0], bad[1]);
            assertEquals(Commands.FAILED, c.code());
            assertEquals(1, c.err().strip().lines().count(), c.err());
        }
    }

    @Test
    @Order(4)
    void theHeadIsCommittedToTheLogAndWitnessedByThePeer() throws Exception {
        AuditRecord head = a.node().audit().head().orElseThrow();
        AuditRecord commit = a.auditCommitter().commitNow().orElseThrow();
        assertEquals("audit-head-committed", commit.action());
        assertEquals(Long.toString(head.seq()), commit.target());
        AuditHead.Commitment c = AuditHead.fromRecord(a.node().origin(), commit).orElseThrow();
        assertEquals(head.hash(), c.head().hash());
        // the public log holds the head's commitment, never the record hash itself
        byte[] entry = a.node().log().view().entry(c.logIndex()).orElseThrow();
        assertArrayEquals(LogEntry.of(c.head().canonical()), entry);
        assertFalse(java.util.Arrays.equals(java.util.HexFormat.of().parseHex(head.hash()), entry));
        // nothing new: no second commitment (the commitment record alone does not count as growth)
        assertTrue(a.auditCommitter().commitNow().isEmpty());
        AuditVerifier.Result r = a.node().verifyAudit();
        assertTrue(r.ok(), r.line());
        assertEquals(1, r.committedHeads());
        assertEquals(head.seq(), r.committedThrough());
        // B cosigns A's checkpoints: the head becomes witnessed
        assertTrue(TestNodes.eventually(20, () -> a.node().verifyAudit().witnessedThrough() == head.seq()), a.node().verifyAudit().line());
        Cli ok = cli("audit", "verify", "--dir", a.node().dir().toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("audit trail verifies: ") && ok.out().contains("witnessed by peers through record " + head.seq()), ok.out());
        assertEquals(1, ok.out().strip().lines().count());
        // the checkpoints must be signed by the node's key as its peers know it: another key proves nothing
        Cli otherKey = cli("audit", "verify", "--dir", a.node().dir().toString(), "--key",
                io.parley.identity.SigningKey.generate(a.node().origin()).verifierKey().encoded());
        assertEquals(Commands.FAILED, otherKey.code(), otherKey.out());
        assertTrue(otherKey.err().contains("does not prove entry " + c.logIndex()), otherKey.err());
        Cli published = cli("audit", "verify", "--dir", a.node().dir().toString(), "--key", a.node().card().verifierKey().encoded());
        assertEquals(0, published.code(), published.err());
    }

    @Test
    @Order(5)
    void aChangedRowIsCaughtByTheApiThePageAndTheCli() throws Exception {
        a.node().db().update("UPDATE audit_log SET actor = 'somebody-else' WHERE action = 'red-grant'");
        try {
            assertBroken("was altered: its hash does not match its fields");
        } finally {
            a.node().db().update("UPDATE audit_log SET actor = ? WHERE action = 'red-grant'", ADMIN);
        }
        assertTrue(a.node().verifyAudit().ok());
    }

    @Test
    @Order(6)
    void aRewriteThatRecomputesEveryLaterHashIsCaughtByTheCommittedHead() throws Exception {
        AuditTrail trail = a.node().audit();
        long grant = trail.list(new AuditQuery(0, 0, null, "red-grant", 1, false)).get(0).seq();
        a.node().audit().record(AuditEvent.done("chief", AuditAction.EXPORT, "later", LOCAL, "after the commitment"));
        List<AuditRecord> before = trail.after(0, 1000);
        // the insider rewrites who granted RED and recomputes the chain from there on: the chain alone is whole again
        rewrite(before, grant, r -> new AuditRecord(r.seq(), r.at(), "somebody-else", r.action(), r.target(), r.from(), r.ok(), r.detail(), r.prev(), ""));
        assertTrue(trail.verify().isEmpty(), "the recomputed chain is whole");
        assertBroken("differs from the head committed to the log");
        // ... and also rewrites the commitment record to name the new head: the log entry no longer matches
        AuditRecord commit = trail.latest(AuditAction.HEAD_COMMITTED).orElseThrow();
        AuditHead.Commitment c = AuditHead.fromRecord(a.node().origin(), commit).orElseThrow();
        String forgedHead = trail.at(c.head().seq()).orElseThrow().hash();
        rewrite(trail.after(0, 1000), commit.seq(), r -> new AuditRecord(r.seq(), r.at(), r.actor(), r.action(), r.target(), r.from(), r.ok(),
                "head " + forgedHead + " at log index " + c.logIndex(), r.prev(), ""));
        assertTrue(trail.verify().isEmpty());
        assertBroken("does not hold the head of record " + c.head().seq());
        // ... and also puts the forged head's commitment into the log entry: the signed checkpoint's tree still holds the old one
        byte[] honestEntry = a.node().log().view().entry(c.logIndex()).orElseThrow();
        AuditHead forged = new AuditHead(a.node().origin(), c.head().seq(), forgedHead);
        a.node().db().update("UPDATE log_entries SET data = ? WHERE idx = ?", LogEntry.of(forged.canonical()), c.logIndex());
        try {
            assertBroken("the log does not prove entry " + c.logIndex());
        } finally {
            a.node().db().update("UPDATE log_entries SET data = ? WHERE idx = ?", honestEntry, c.logIndex());
        }
        // ... or cuts the trail back before the commitment and regrows it: the log's audit-head entry names a record that is gone
        restore(before);
        assertTrue(a.node().verifyAudit().ok(), a.node().verifyAudit().line());
        a.node().db().update("DELETE FROM audit_log WHERE seq >= ?", grant);
        assertTrue(trail.verify().isEmpty(), "a shorter chain is still a chain");
        assertBroken("was committed to the log but is missing from the trail");
        restore(before);
        assertTrue(a.node().verifyAudit().ok());
    }

    @Test
    @Order(7)
    void theTrailGainedAtShutdownIsCommitted() throws Exception {
        a.node().audit().record(AuditEvent.done(ADMIN, AuditAction.EXPORT, "last", LOCAL, "just before shutdown"));
        long last = a.node().audit().head().orElseThrow().seq();
        Path dir = a.node().dir();
        a.close();
        a = null;
        a = NodeServer.start(dir, java.time.Clock.systemUTC());
        AuditVerifier.Result r = a.node().verifyAudit();
        assertTrue(r.ok(), r.line());
        assertEquals(last, r.committedThrough(), "the head at shutdown was committed: " + r.line());
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    /** The API flag, the admin page and the CLI all say the trail is broken, naming {@code fault}. */
    void assertBroken(String fault) throws Exception {
        JsonNode v = Json.parse(as(ADMIN, HttpRequest.newBuilder(uri(a, "/api/v1/audit?limit=1")).GET()).body()).path("verification");
        assertFalse(v.path("ok").asBoolean(), v.toString());
        assertTrue(v.path("fault").asText().contains(fault), v.toString());
        String page = as(ADMIN, HttpRequest.newBuilder(uri(a, "/audit")).GET()).body();
        assertTrue(page.contains("does NOT verify") && page.contains(fault), page);
        Cli c = cli("audit", "verify", "--dir", a.node().dir().toString());
        assertEquals(Commands.FAILED, c.code(), c.out());
        assertTrue(c.err().contains("audit trail BROKEN") && c.err().contains(fault), c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
    }

    /** Replaces record {@code from} by {@code change} of it and recomputes every hash from there, as an insider would. */
    void rewrite(List<AuditRecord> records, long from, java.util.function.UnaryOperator<AuditRecord> change) {
        String prev = null;
        for (AuditRecord r : records) {
            if (r.seq() < from) {
                prev = r.hash();
                continue;
            }
            AuditRecord changed = r.seq() == from ? change.apply(r) : r;
            AuditRecord relinked = new AuditRecord(changed.seq(), changed.at(), changed.actor(), changed.action(), changed.target(), changed.from(),
                    changed.ok(), changed.detail(), prev, "");
            String hash = relinked.computedHash();
            a.node().db().update("UPDATE audit_log SET actor = ?, detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    relinked.actor(), relinked.detail(), prev, hash, r.seq());
            prev = hash;
        }
    }

    void restore(List<AuditRecord> records) {
        a.node().db().update("DELETE FROM audit_log");
        for (AuditRecord r : records) {
            a.node().db().update("INSERT INTO audit_log (seq, at, actor, action, target, from_addr, ok, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.seq(), r.at().toEpochMilli(), r.actor(), r.action(), r.target(), r.from(), r.ok() ? 1 : 0, r.detail(), r.prev(), r.hash());
        }
    }

    AuditRecord assertLast(NodeServer n, String action, String actor, String target, String detailPart) {
        AuditRecord r = n.node().audit().list(new AuditQuery(0, 0, null, action, 1, true)).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " record"));
        assertEquals(actor, r.actor(), r.toString());
        assertEquals(target, r.target(), r.toString());
        assertEquals(actor.equals("cli") ? "cli" : LOCAL, r.from(), r.toString());
        assertTrue(r.detail().contains(detailPart), r.toString());
        return r;
    }

    Charter charter(String id, String title) {
        Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
        d.put(Priority.FLASH, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        d.put(Priority.URGENT, new Charter.Deadlines(Duration.ofHours(2), Duration.ofHours(24)));
        d.put(Priority.ROUTINE, new Charter.Deadlines(Duration.ofHours(24), Duration.ofDays(5)));
        List<Charter.Member> members = new ArrayList<>();
        for (NodeServer n : List.of(a, b)) members.add(new Charter.Member(n.node().origin(), n.node().key().verifierKey(), n.baseUrl()));
        return new Charter(id, title, Level.OPERATIONAL, members, d, Tlp.AMBER, List.of(new Charter.Rung(Duration.ZERO, "CERT duty officer", null)));
    }

    record Cli(int code, String out, String err) {}

    static Cli cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = ParleyCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    String csrfOn(NodeServer n, String page, String user) throws Exception {
        String html = as(user, HttpRequest.newBuilder(uri(n, page)).GET()).body();
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    String csrfOnAsDuty(NodeServer n, String page) throws Exception {
        String html = io.parley.testing.WebSessions.get(n, session(n, TestNodes.USER, TestNodes.PASSWORD), page).body();
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    /** Sends as {@code user}: HTTP Basic for the API, a session of that user (signed in at /login) for web pages. */
    HttpResponse<String> as(String user, HttpRequest.Builder b) throws Exception {
        URI target = b.build().uri();
        if (io.parley.testing.WebSessions.webPage(target.getPath())) {
            NodeServer n = target.getPort() == a.port() ? a : b(target);
            return TestNodes.send(b.header("Cookie", session(n, user, PASSWORD)).build());
        }
        return TestNodes.send(b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build());
    }

    private NodeServer b(URI target) {
        if (target.getPort() != b.port()) throw new IllegalArgumentException("no test node at " + target);
        return b;
    }

    final java.util.Map<String, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    /** One web session per node and user, so a form's token (bound to the session) matches the session that posts it. */
    String session(NodeServer n, String user, String password) throws Exception {
        String key = n.baseUrl() + " " + user;
        String s = sessions.get(key);
        if (s == null) sessions.put(key, s = io.parley.testing.WebSessions.signIn(n, user, password));
        return s;
    }

    static URI uri(NodeServer n, String path) {
        return URI.create(n.baseUrl() + path);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
