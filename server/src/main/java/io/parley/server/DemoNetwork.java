package io.parley.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.Passwords;
import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;

/**
 * A local network of three nodes on the embedded store, for newcomers: two national CERTs and a foreign ministry,
 * a trilateral operational channel and a bilateral technical one, a shared demo account, and a few messages.
 */
public final class DemoNetwork implements AutoCloseable {
    public static final String USER = "duty";
    /** The read-only account of every demo node: reads everything the officer reads, acts on nothing. */
    public static final String VIEWER = "observer";

    private record Party(String origin, String display, String kind, String country, String contactRole, String contactName, String langs) {}

    private static final List<Party> PARTIES = List.of(
            new Party("cert-a.example", "CERT-A (national CERT of Country A)", "CERT", "XA", "duty officer", "CERT-A duty desk", "en,fr"),
            new Party("cert-b.example", "CERT-B (national CERT of Country B)", "CERT", "XB", "duty officer", "CERT-B duty desk", "en,ru"),
            new Party("mfa-c.example", "Ministry of Foreign Affairs of Country C, cyber desk", "ministry", "XC", "cyber diplomacy desk", "MFA-C watch officer", "en"));

    /** With {@code --tls}: the demo CA's certificate and key, in the demo directory. */
    public static final String CA_CERT_FILE = "demo-ca.crt";
    public static final String CA_KEY_FILE = "demo-ca.key";

    private final List<NodeServer> nodes;
    private final String password;
    private final String viewerPassword;
    private final Path ca;

    private DemoNetwork(List<NodeServer> nodes, String password, String viewerPassword, Path ca) {
        this.nodes = nodes;
        this.password = password;
        this.viewerPassword = viewerPassword;
        this.ca = ca;
    }

    /** Creates and starts the network in {@code root}, on ports {@code basePort}, +1, +2 (0: any free ports). */
    public static DemoNetwork start(Path root, int basePort, Clock clock) throws IOException {
        return start(root, basePort, clock, false);
    }

    /**
     * As {@link #start(Path, int, Clock)}; with {@code tls}, a demo CA in {@code root} issues each node a certificate
     * for its name, localhost and 127.0.0.1, every node trusts that CA, and the nodes serve and federate over HTTPS.
     */
    public static DemoNetwork start(Path root, int basePort, Clock clock, boolean tls) throws IOException {
        Files.createDirectories(root);
        io.parley.tls.Certificates.Authority authority = tls ? demoAuthority(root, clock) : null;
        Path caFile = tls ? root.resolve(CA_CERT_FILE).toAbsolutePath() : null;
        String password = generatePassword();
        String hash = Passwords.hash(password);
        String viewerPassword = generatePassword();
        String viewerHash = Passwords.hash(viewerPassword);
        List<NodeServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < PARTIES.size(); i++) {
                Party p = PARTIES.get(i);
                int port = basePort == 0 ? 0 : basePort + i;
                Path dir = root.resolve(p.origin());
                NodeConfig cfg = Files.exists(dir.resolve(NodeConfig.FILE)) ? NodeConfig.load(dir)
                        : NodeInit.create(dir, new NodeInit.Options(p.origin(), p.display(), p.kind(), p.country(), Math.max(port, 1), null,
                        List.of(new PartyCard.Contact(p.contactRole(), p.contactName(), "duty@" + p.origin(), "+000 0000 000" + i, "24/7", List.of(p.langs().split(","))))), clock.instant());
                if (tls && cfg.tls() == null) cfg = NodeInit.addIssuedTls(dir, cfg, authority, caFile.toString(), false, clock.instant());
                NodeServer server = NodeServer.start(dir, port == 0 ? cfg.withPort(0) : cfg, clock);
                server.node().users().put(USER, hash, "officer", clock.instant());
                server.node().users().setChannels(USER, List.of(io.parley.auth.Role.ALL_CHANNELS));
                server.node().users().put(VIEWER, viewerHash, "viewer", clock.instant());
                nodes.add(server);
            }
            introduce(nodes, clock);
            seed(nodes);
            return new DemoNetwork(nodes, password, viewerPassword, caFile);
        } catch (IOException | RuntimeException e) {
            nodes.forEach(NodeServer::close);
            throw e;
        }
    }

    /**
     * The same steps operators take, over real HTTP between the nodes: each peers with the others (pinning the
     * fingerprints), cert-a proposes a trilateral and a bilateral channel, the others sign, and the outboxes carry
     * every charter envelope until the channels are active everywhere.
     */
    private static void introduce(List<NodeServer> nodes, Clock clock) throws IOException {
        try {
            for (NodeServer n : nodes) {
                for (NodeServer other : nodes) {
                    if (other != n) n.federation().peers().add(other.baseUrl(), other.node().card().fingerprint());
                }
            }
            Charter trilateral = charter("demo-trilateral", "A-B-C incident hotline", Level.OPERATIONAL, Tlp.AMBER, nodes)
                    .withPractice(DEMO_PRACTICE);
            Charter bilateral = charter("demo-a-b", "CERT-A / CERT-B technical line", Level.TECHNICAL, Tlp.AMBER_STRICT, nodes.subList(0, 2));
            NodeServer a = nodes.get(0);
            for (Charter c : List.of(trilateral, bilateral)) {
                if (a.node().channels().charter(c.channel()).isPresent()) continue;
                a.node().channelActions().propose(c);
                for (NodeServer m : nodes.subList(1, nodes.size())) {
                    if (c.member(m.node().origin()).isEmpty()) continue;
                    await(() -> m.node().channels().charter(c.channel()).isPresent(), m.node().origin() + " did not receive the proposal of " + c.channel());
                    m.node().channelActions().sign(c.channel(), c.hash());
                }
            }
            for (Charter c : List.of(trilateral, bilateral)) {
                for (NodeServer m : nodes) {
                    if (c.member(m.node().origin()).isPresent()) {
                        await(() -> m.node().charters().active(c.channel()), c.channel() + " did not become active at " + m.node().origin());
                    }
                }
            }
        } catch (io.parley.federation.PeerDirectory.PeerRefused e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting up the demo");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String failure) throws IOException, InterruptedException {
        // generous: on a loaded machine the first deliveries wait for connections and for the sequencer's batches
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new IOException(failure);
            Thread.sleep(50);
        }
    }

    private static Charter charter(String id, String title, Level level, Tlp ceiling, List<NodeServer> members) {
        List<Charter.Member> ms = members.stream()
                .map(s -> new Charter.Member(s.node().origin(), s.node().key().verifierKey(), s.baseUrl())).toList();
        Map<Priority, Charter.Deadlines> deadlines = new EnumMap<>(Priority.class);
        deadlines.put(Priority.FLASH, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        deadlines.put(Priority.URGENT, new Charter.Deadlines(Duration.ofHours(2), Duration.ofHours(24)));
        deadlines.put(Priority.ROUTINE, new Charter.Deadlines(Duration.ofHours(24), Duration.ofDays(5)));
        List<Charter.Rung> ladder = List.of(
                new Charter.Rung(Duration.ZERO, "duty officer", null),
                new Charter.Rung(Duration.ofHours(1), "head of CERT", null),
                new Charter.Rung(Duration.ofHours(4), "ministry level", null));
        // The demo seeds its history by dating messages up to a few hours back; a wide clock-skew tolerance keeps that
        // history as dated, and only the one message dated far beyond it is flagged (seedClockFinding).
        return new Charter(id, title, level, ms, deadlines, ceiling, ladder)
                .withPractice(new io.parley.charter.Practice(DEMO_CLOCK_SKEW, List.of(), null, List.of()));
    }

    /** How far the demo's charters let a signed time differ from the recipient's log time. */
    static final Duration DEMO_CLOCK_SKEW = Duration.ofHours(6);

    /**
     * A request cert-b dates eight hours before it sends it, beyond the demo's clock skew: cert-a logs it now, flags
     * it as backdated on the case and in the report, and runs its deadlines from its log time.
     */
    private static void seedClockFinding(List<NodeServer> nodes) {
        var b = nodes.get(1).node();
        java.time.Instant dated = b.now().minus(Duration.ofHours(8));
        sent(b, new Composer.Draft("demo-a-b", Kind.REQUEST, CaseIds.newId(b.origin(), dated), Priority.URGENT, Tlp.AMBER, Json.object()
                .put("type", "information").put("summary", "Clock check: request dated 8 hours before it was sent")
                .put("asked", "Confirm the time you logged this request").put("lang", "en")), dated);
    }

    /** A little real traffic, once: a notification on the trilateral line and a line test on the bilateral one. */
    private static void seed(List<NodeServer> nodes) {
        var a = nodes.get(0).node();
        boolean seeded = a.envelopes().inChannel("demo-trilateral", 0, 100).stream().anyMatch(s -> s.envelope().kind() == Kind.NOTIFY);
        if (seeded) return;
        sent(a, new Composer.Draft("demo-trilateral", Kind.NOTIFY, null, Priority.URGENT, Tlp.AMBER,
                Json.object().put("summary", "DDoS against government portals").put("text", "Since 06:10 UTC we see a volumetric DDoS against gov portals; sources include your AS space.").put("lang", "en")));
        sent(a, new Composer.Draft("demo-a-b", Kind.PING, null, Priority.ROUTINE, Tlp.GREEN, Json.object().put("purpose", "line test")));
        sent(nodes.get(1).node(), new Composer.Draft("demo-trilateral", Kind.UPDATE, null, Priority.URGENT, Tlp.AMBER,
                Json.object().put("summary", "Seen here too").put("text", "We see the same sources; filtering at our IXP from 07:00 UTC.").put("lang", "en")
                        .set("stix", demoEvidence(a.now(), "C2 seen at our IXP", "203.0.113.66", null, null))));
        seedCases(nodes);
        seedStatement(nodes);
        seedDeclined(nodes);
        seedNorms(nodes);
        seedExercise(nodes);
        seedSilenceDrill(nodes);
        seedClockFinding(nodes);
    }

    /** What the members of the demo's trilateral line subscribe to: two UN norms, OSCE consultations, Budapest preservation. */
    // The preservation hold below is seeded 20 days back, so this line tolerates 30 days of clock skew (see DEMO_CLOCK_SKEW).
    private static final io.parley.charter.Practice DEMO_COMMITMENTS = new io.parley.charter.Practice(Duration.ofDays(30), List.of(
            new io.parley.charter.Practice.Commitment("un-gge-2015:13f", null), new io.parley.charter.Practice.Commitment("un-gge-2015:13h", null),
            new io.parley.charter.Practice.Commitment("osce-cbm:3", null), new io.parley.charter.Practice.Commitment("budapest:29", null),
            new io.parley.charter.Practice.Commitment("free:no-election-interference", "Neither side targets the other's election infrastructure.")),
            null, List.of());

    /**
     * A preservation request (Budapest Art. 29) with its hold running: cert-a asks cert-b to keep the logs of a
     * compromised mail server for 90 days, citing the charter's commitments and classified by category; cert-b
     * acknowledges, and cert-a has extended the hold once.
     */
    private static void seedNorms(List<NodeServer> nodes) {
        var a = nodes.get(0).node();
        var b = nodes.get(1).node();
        java.time.Instant now = a.now();
        String id = CaseIds.newId(a.origin(), now);
        ObjectNode body = Json.object().put("type", "preservation").put("summary", "Preserve logs of the mail server used against our ministry")
                .put("asked", "Preserve the data below pending our mutual legal assistance request; confirm when done")
                .put("category", "intrusions/system-compromise").put("hold_days", 90)
                .put("data", "Authentication and SMTP logs of mail.example.net, 2026-11-20 to 2026-11-23, and the subscriber record of its hosting account")
                .put("legal_basis", "Budapest Convention art. 29").put("lang", "en");
        body.putArray("commitments").add("budapest:29").add("un-gge-2015:13h");
        body.putArray("identifiers").add(Json.object().put("type", "ipv4").put("value", "198.51.100.77")).add(Json.object().put("type", "domain").put("value", "mail.example.net"));
        var request = sent(a, new Composer.Draft("demo-trilateral", Kind.REQUEST, id, Priority.URGENT, Tlp.AMBER, body), now.minus(Duration.ofDays(20)));
        // The request is dated past its deadlines, so a's deadline clock may escalate in the case at once: wait for the
        // request itself, not for the case to hold exactly one envelope (that never held once an escalation came first).
        String requestHash = ((io.parley.envelope.Verdict.Accepted) request).hash();
        awaitQuietly(nodes, () -> b.envelopes().byHash(requestHash).isPresent(), () -> delivery(nodes.get(0), request, b));
        sent(b, new Composer.Draft("demo-trilateral", Kind.ACK, id, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("text", "Preservation ordered at the hosting provider.").put("lang", "en")), now.minus(Duration.ofDays(20)).plus(Duration.ofMinutes(40)));
        sent(a, new Composer.Draft("demo-trilateral", Kind.UPDATE, id, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("hold_extend_days", 30).put("text", "Our MLA request is delayed; please keep the data 30 days longer.").put("lang", "en")), now.minus(Duration.ofDays(2)));
    }

    /**
     * A closed case with a joint statement: cert-b proposes the text, cert-a co-signs it, the third party has yet to,
     * so the case page shows both the co-sign button and a pending statement.
     */
    private static void seedStatement(List<NodeServer> nodes) {
        var a = nodes.get(0);
        var b = nodes.get(1);
        var c = nodes.get(2);
        java.time.Instant now = a.node().now();
        String id = CaseIds.newId(a.node().origin(), now);
        sent(a.node(), new Composer.Draft("demo-trilateral", Kind.NOTIFY, id, Priority.ROUTINE, Tlp.GREEN, Json.object()
                .put("summary", "Submarine cable outage between our networks").put("text", "Traffic loss since 02:40 UTC; we suspect physical damage.")
                .put("lang", "en")), now.minus(Duration.ofHours(2)));
        awaitQuietly(nodes, () -> b.node().envelopes().inCase("demo-trilateral", id).size() == 1 && c.node().envelopes().inCase("demo-trilateral", id).size() == 1);
        sent(a.node(), new Composer.Draft("demo-trilateral", Kind.CLOSE, id, Priority.ROUTINE, Tlp.GREEN, Json.object()
                .put("text", "Repair ship on site; cause confirmed as an anchor drag.").put("lang", "en")), now.minus(Duration.ofMinutes(30)));
        awaitQuietly(nodes, () -> b.cases().timeline("demo-trilateral", id).map(t -> t.state().finished()).orElse(false));
        var proposed = new io.parley.cases.JointStatements(b.node(), b.cases()).propose("demo-trilateral", id, new io.parley.cases.JointStatements.Draft(
                "The outage of the submarine cable between our networks on this date was caused by a ship's anchor. Neither side attributes it to a cyber attack.",
                "en", List.of(new io.parley.timeline.JointStatement.Translation("ru",
                        "Обрыв подводного кабеля между нашими сетями вызван якорем судна. Ни одна из сторон не связывает его с кибератакой."))), null);
        awaitQuietly(nodes, () -> new io.parley.cases.JointStatements(a.node(), a.cases()).find("demo-trilateral", id, proposed.id()).isPresent());
        new io.parley.cases.JointStatements(a.node(), a.cases()).cosign("demo-trilateral", id, proposed.id(), null);
    }

    /**
     * A request both other parties declined, each with a reason code and one with its own words: the two-stage answer
     * (the receipt says "delivered", the acknowledgement says what the party decided) shown on every node.
     */
    private static void seedDeclined(List<NodeServer> nodes) {
        var a = nodes.get(0).node();
        var b = nodes.get(1).node();
        var c = nodes.get(2).node();
        java.time.Instant now = b.now();
        String id = CaseIds.newId(b.origin(), now);
        sent(b, new Composer.Draft("demo-trilateral", Kind.REQUEST, id, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("type", "information").put("summary", "Subscriber data for 192.0.2.44 (VPN exit used in the DDoS)")
                .put("asked", "Name the subscriber of 192.0.2.44 on the morning of the attack").put("lang", "en")), now.minus(Duration.ofMinutes(35)));
        awaitQuietly(nodes, () -> a.envelopes().inCase("demo-trilateral", id).size() == 1 && c.envelopes().inCase("demo-trilateral", id).size() == 1);
        sent(a, new Composer.Draft("demo-trilateral", Kind.ACK, id, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("decision", "decline").put("reason_code", "legal-obstacle")
                .put("reason", "Subscriber data is disclosed only on a formal mutual legal assistance request; send it through the central authority.")
                .put("lang", "en")), now.minus(Duration.ofMinutes(30)));
        sent(c, new Composer.Draft("demo-trilateral", Kind.ACK, id, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("decision", "decline").put("reason_code", "outside-mandate")), now.minus(Duration.ofMinutes(25)));
    }

    /**
     * The trilateral line's practice: its clock skew tolerance and commitments, a human ping exercise every Monday at 10:00 UTC, contacts
     * re-confirmed every 182 days.
     */
    static final io.parley.charter.Practice DEMO_PRACTICE = new io.parley.charter.Practice(DEMO_COMMITMENTS.clockSkew(), DEMO_COMMITMENTS.commitments(), Duration.ofDays(182),
            List.of(new io.parley.charter.Practice.PingExercise(java.time.DayOfWeek.MONDAY, java.time.LocalTime.of(10, 0), "human")));

    /**
     * An exercise: a request marked {@code "exercise": true} that b acknowledged, labelled [EXERCISE] in every view
     * and counted apart in the report; and a's signed re-confirmation of its points of contact.
     */
    private static void seedExercise(List<NodeServer> nodes) {
        var a = nodes.get(0).node();
        var b = nodes.get(1).node();
        Instant now = a.now();
        String drill = CaseIds.newId(a.origin(), now);
        sent(a, new Composer.Draft("demo-trilateral", Kind.REQUEST, drill, Priority.URGENT, Tlp.GREEN, Json.object()
                .put("type", "assistance").put("summary", "Exercise: simulated ransomware at a water utility").put("exercise", true)
                .put("asked", "Play along: confirm you would block the listed C2 addresses").put("lang", "en")), now.minus(Duration.ofMinutes(30)));
        awaitQuietly(nodes, () -> b.envelopes().inCase("demo-trilateral", drill).size() == 1);
        sent(b, new Composer.Draft("demo-trilateral", Kind.ACK, drill, Priority.URGENT, Tlp.GREEN, Json.object()
                .put("text", "Exercise acknowledged; playing along.").put("lang", "en")), now.minus(Duration.ofMinutes(25)));
        nodes.get(0).contacts().confirm(null);
    }

    /** The drill line: all three parties, with one-minute acknowledgement and three-minute answer deadlines. */
    public static final String DRILL_CHANNEL = "demo-drill";

    /**
     * A case whose silence the bundle proves, live: on a drill line with one-minute deadlines, CERT-A asks the others to
     * confirm they receive requests; CERT-B acknowledges at once, nobody at MFA-C answers. A minute later the deadline
     * clock (on the node clock) pins MFA-C's chain with an automatic ping, MFA-C's node pongs, and the case's bundle
     * ({@code parley export}, then {@code parley verify}) states {@code silent: mfa-c.example sent no acknowledgement ...}.
     * All three are members because every peer witnesses CERT-A's log, and a bundle accepts cosignatures by members only.
     */
    private static void seedSilenceDrill(List<NodeServer> nodes) {
        NodeServer a = nodes.get(0), b = nodes.get(1), c = nodes.get(2);
        Charter drill = charter(DRILL_CHANNEL, "Drill line (one-minute deadlines)", Level.TECHNICAL, Tlp.AMBER, nodes);
        Map<Priority, Charter.Deadlines> minutes = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) minutes.put(p, new Charter.Deadlines(Duration.ofMinutes(1), Duration.ofMinutes(3)));
        Charter terms = new Charter(drill.channel(), drill.title(), drill.level(), drill.members(), minutes, drill.tlpCeiling(), List.of());
        a.node().channelActions().propose(terms);
        for (NodeServer m : List.of(b, c)) {
            awaitQuietly(nodes, () -> m.node().channels().charter(DRILL_CHANNEL).isPresent());
            m.node().channelActions().sign(DRILL_CHANNEL, terms.hash());
        }
        awaitQuietly(nodes, () -> nodes.stream().allMatch(n -> n.node().charters().active(DRILL_CHANNEL)));
        String id = a.cases().open(DRILL_CHANNEL, Kind.REQUEST, Priority.FLASH, Tlp.AMBER, Json.object().put("type", "consultation")
                .put("summary", "Drill: confirm you receive requests on this line").put("asked", "Acknowledge within one minute").put("lang", "en")).caseId();
        awaitQuietly(nodes, () -> b.cases().timeline(DRILL_CHANNEL, id).isPresent());
        b.cases().respond(DRILL_CHANNEL, id, Kind.ACK, Json.object().put("text", "CERT-B duty officer here.").put("lang", "en"));
    }

    /**
     * Three cases with a past, so a newcomer sees the workflow at once: one answered in time, one whose flash
     * acknowledgement deadline passed (the deadline clock escalates it as soon as it looks), and one closed. Their ids
     * are made for their openers like any case's, or the nodes would refuse them.
     */
    private static void seedCases(List<NodeServer> nodes) {
        var a = nodes.get(0).node();
        var b = nodes.get(1).node();
        var c = nodes.get(2).node();
        java.time.Instant now = a.now();
        String answered = CaseIds.newId(a.origin(), now);
        sent(a, new Composer.Draft("demo-trilateral", Kind.REQUEST, answered, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("type", "mitigation").put("summary", "Take down phishing kit imitating our tax portal")
                .put("asked", "Suspend hosting of the kit at 198.51.100.23 and preserve its logs")
                .put("legal_basis", "Budapest Convention art. 29").put("lang", "en")
                .<ObjectNode>set("affected", Json.object().set("sectors", Json.MAPPER.createArrayNode().add("government")))
                .set("stix", demoEvidence(now, "Phishing kit host", "198.51.100.23", null, null))), now.minus(Duration.ofMinutes(50)));
        awaitQuietly(nodes, () -> b.envelopes().inCase("demo-trilateral", answered).size() == 1);
        sent(b, new Composer.Draft("demo-trilateral", Kind.ACK, answered, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("text", "Received, hosting provider contacted.").put("lang", "en")), now.minus(Duration.ofMinutes(45)));
        sent(b, new Composer.Draft("demo-trilateral", Kind.ANSWER, answered, Priority.URGENT, Tlp.AMBER, Json.object()
                .put("text", "Kit suspended at 08:12 UTC; logs preserved for 90 days.").put("outcome", "mitigated").put("lang", "en")), now.minus(Duration.ofMinutes(20)));

        sent(a, new Composer.Draft("demo-trilateral", Kind.REQUEST, CaseIds.newId(a.origin(), now), Priority.FLASH, Tlp.AMBER, Json.object()
                .put("type", "trace").put("summary", "Trace C2 of wiper hitting our energy grid operator")
                .put("asked", "Identify the operator of 203.0.113.66 and share subscriber data under MLAT")
                .<ObjectNode>set("window", Json.object().put("from", now.minus(Duration.ofHours(3)).toString()))
                .set("stix", demoEvidence(now, "Wiper C2", "203.0.113.66", "wiper-dropper.exe",
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))), now.minus(Duration.ofMinutes(40)));

        String closed = CaseIds.newId(c.origin(), now);
        sent(c, new Composer.Draft("demo-trilateral", Kind.NOTIFY, closed, Priority.ROUTINE, Tlp.GREEN, Json.object()
                .put("summary", "Advance notice: national cyber exercise on Thursday").put("text", "Exercise traffic from 10:00 to 16:00 UTC; ignore alerts tagged EXERCISE.")
                .put("lang", "en")), now.minus(Duration.ofHours(3)));
        awaitQuietly(nodes, () -> a.envelopes().inCase("demo-trilateral", closed).size() == 1);
        sent(a, new Composer.Draft("demo-trilateral", Kind.ACK, closed, Priority.ROUTINE, Tlp.GREEN, Json.object()
                .put("text", "Noted.").put("lang", "en")), now.minus(Duration.ofMinutes(170)));
        sent(c, new Composer.Draft("demo-trilateral", Kind.CLOSE, closed, Priority.ROUTINE, Tlp.GREEN, Json.object()
                .put("text", "Exercise finished.").put("lang", "en")), now.minus(Duration.ofMinutes(60)));
    }

    /**
     * A small STIX 2.1 bundle marked TLP:AMBER, as a CERT would attach it: an indicator for a C2 address, the address
     * itself and, when given, the dropped file with its SHA-256. The same address in two parties' messages shows as a
     * correlation on the evidence pages.
     */
    private static ObjectNode demoEvidence(java.time.Instant now, String name, String ip, String file, String sha256) {
        String amber = io.parley.evidence.WellKnownMarkings.TLP2_AMBER;
        String t = io.parley.evidence.StixTime.format(now.minus(Duration.ofHours(2)));
        ObjectNode bundle = Json.object().put("type", "bundle").put("id", "bundle--" + java.util.UUID.randomUUID());
        var objects = bundle.putArray("objects");
        ObjectNode indicator = objects.addObject().put("type", "indicator").put("spec_version", "2.1")
                .put("id", "indicator--" + java.util.UUID.randomUUID()).put("created", t).put("modified", t).put("name", name + " " + ip)
                .put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix").put("valid_from", t);
        indicator.putArray("indicator_types").add("malicious-activity");
        indicator.putArray("object_marking_refs").add(amber);
        ObjectNode addr = objects.addObject().put("type", "ipv4-addr").put("spec_version", "2.1")
                .put("id", io.parley.evidence.StixIds.scoId("ipv4-addr", Json.object().put("value", ip))).put("value", ip);
        addr.putArray("object_marking_refs").add(amber);
        if (file != null) {
            ObjectNode hashes = Json.object().put("SHA-256", sha256);
            ObjectNode f = objects.addObject().put("type", "file").put("spec_version", "2.1")
                    .put("id", io.parley.evidence.StixIds.scoId("file", Json.object().set("hashes", hashes))).put("name", file);
            f.set("hashes", hashes);
            f.putArray("object_marking_refs").add(amber);
        }
        return bundle;
    }

    /** Sends one seeded message; a refusal stops the demo with its reason instead of leaving a later wait to time out. */
    private static io.parley.envelope.Verdict sent(io.parley.node.Node n, Composer.Draft d) {
        return sent(n, d, null);
    }

    private static io.parley.envelope.Verdict sent(io.parley.node.Node n, Composer.Draft d, java.time.Instant at) {
        io.parley.envelope.Verdict v = n.composer().compose(d, at);
        if (v instanceof io.parley.envelope.Verdict.Rejected r) {
            throw new IllegalStateException("demo seeding: " + n.origin() + " could not send its " + d.kind().wire() + " in " + d.channel() + ": "
                    + r.reason().code() + ": " + r.reason().detail());
        }
        return v;
    }

    private static void awaitQuietly(List<NodeServer> nodes, java.util.function.BooleanSupplier condition) {
        awaitQuietly(nodes, condition, () -> "");
    }

    /**
     * Waits for a seeded message to arrive; on timeout, says what {@code diagnosis} finds. While it waits it nudges the
     * lines both ways every two seconds: each node retries what it holds for the others now (as when it hears from a
     * peer) and asks the others to catch up its chains. All demo nodes are up on loopback, so a delivery waiting out a
     * retry backoff (a connection refused while a node was starting, say) would only make a newcomer wait.
     */
    private static void awaitQuietly(List<NodeServer> nodes, java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> diagnosis) {
        long[] nextNudge = {System.nanoTime() + 2_000_000_000L};
        java.util.function.BooleanSupplier nudging = () -> {
            if (condition.getAsBoolean()) return true;
            if (System.nanoTime() > nextNudge[0]) {
                nextNudge[0] = System.nanoTime() + 2_000_000_000L;
                for (NodeServer x : nodes) {
                    for (NodeServer y : nodes) {
                        if (x == y) continue;
                        x.federation().heardFrom(y.node().origin());
                        for (String channel : List.of("demo-trilateral", "demo-a-b", DRILL_CHANNEL)) x.federation().gapSeen(channel, y.node().origin());
                    }
                }
            }
            return false;
        };
        try {
            await(nudging, "demo seeding timed out");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e.getMessage() + " " + diagnosis.get(), e);
        }
    }

    /** Where a seeded envelope stands: the sender's outbox rows for it, and the recipient's latest refusals. */
    private static String delivery(NodeServer sender, io.parley.envelope.Verdict v, io.parley.node.Node recipient) {
        String hash = v instanceof io.parley.envelope.Verdict.Accepted acc ? acc.hash() : String.valueOf(v);
        return "outbox: " + sender.federation().outbox().forEnvelope(hash) + "; refused at " + recipient.origin() + ": "
                + recipient.envelopes().rejections(5);
    }

    /** The demo CA of {@code root}: made on first use (key mode 0600), read again when a demo directory is reused. */
    private static io.parley.tls.Certificates.Authority demoAuthority(Path root, Clock clock) throws IOException {
        Path cert = root.resolve(CA_CERT_FILE), key = root.resolve(CA_KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return new io.parley.tls.Certificates.Authority(io.parley.tls.Pem.certificates(cert).get(0), io.parley.tls.Pem.privateKey(key));
        }
        io.parley.tls.Certificates.Authority ca = io.parley.tls.Certificates.newAuthority("Parley demo CA", clock.instant());
        io.parley.tls.Pem.writePrivateKey(key, ca.key());
        io.parley.tls.Pem.writeCertificates(cert, List.of(ca.certificate()));
        return ca;
    }

    /** The demo CA's certificate (PEM) clients must trust, when the network runs with TLS. */
    public java.util.Optional<Path> ca() {
        return java.util.Optional.ofNullable(ca);
    }

    private static String generatePassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) sb.append('-');
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public List<NodeServer> nodes() {
        return nodes;
    }

    public String password() {
        return password;
    }

    /** The password of {@link #VIEWER}, the read-only account, the same on every node. */
    public String viewerPassword() {
        return viewerPassword;
    }

    @Override
    public void close() {
        nodes.forEach(NodeServer::close);
    }
}
