package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.ObservableType;
import io.parley.evidence.WellKnownMarkings;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.store.EnvelopeStore;
import io.parley.testing.Fixtures;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * No path that lets evidence out ever returns an object above what the requester may see. Random channels (members,
 * ceilings; some without this node), random shares (envelopes from random members with random labels and named
 * recipients, inline or by hash; uploads), random markings (object and granular TLP, or none) and random requesters
 * (officers, officers with RED grants, admins, peers) go through the real indexer and stores (SQLite); every output
 * path is then compared with an oracle written independently from the TLP 2.0 rules: TAXII objects and versions of
 * every collection (paged), GET evidence (and so its MISP and IODEF exports), bundles fetched by peers, indicator
 * sightings and case correlations. TAXII objects are also checked for completeness: nothing a requester may see is
 * withheld.
 */
class MarkingProperties {
    static final String[] PARTIES = {"n0.example", "n1.example", "n2.example", "n3.example", "n4.example"};
    static final String SELF = PARTIES[0];
    static final Map<String, SigningKey> KEYS = new HashMap<>();
    static final AtomicInteger TRIES = new AtomicInteger();
    static Path dir;
    static Database db;
    static final Map<String, Charter> CHARTERS = new java.util.concurrent.ConcurrentHashMap<>();
    static Evidence svc;

    static {
        for (String p : PARTIES) KEYS.put(p, SigningKey.generate(p));
    }

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("marking-props");
        db = Database.open("jdbc:sqlite:" + dir.resolve("p.db"));
        ChannelDirectory channels = new ChannelDirectory() {
            @Override
            public Optional<Charter> charter(String channel) {
                return Optional.ofNullable(CHARTERS.get(channel));
            }

            @Override
            public List<Charter> all() {
                return List.copyOf(CHARTERS.values());
            }
        };
        svc = Evidence.of(new EvidenceStore(db), new TaxiiStore(db), channels, SELF, Clock.systemUTC());
    }

    @AfterContainer
    static void close() {
        if (db != null) db.close();
    }

    // --- the scenario -----------------------------------------------------------------------------------------------

    record Channel(String id, List<String> members, Tlp ceiling) {}

    record Obj(String id, String ip, Tlp objectTlp, Tlp granularTlp) {}

    /** One way objects reached this node: an envelope (inline or by hash) in a channel, or an upload (channel null). */
    record Share(Channel channel, String sender, Tlp label, Set<String> recipients, List<Obj> objects, String caseId, boolean byHash,
                 String envelopeHash, String sha) {}

    static Tlp effective(Obj o, Tlp unmarked) {
        Tlp t = null;
        for (Tlp m : new Tlp[] {o.objectTlp(), o.granularTlp()}) if (m != null && (t == null || m.compareTo(t) > 0)) t = m;
        return t == null ? unmarked : t;
    }

    /** What governs an object in a share: a RED message's content is RED, whatever it is marked (issue 10). */
    static Tlp governing(Obj o, Share s) {
        return s.channel() != null && s.label() == Tlp.RED ? Tlp.RED : effective(o, s.label());
    }

    static Set<String> named(Share s) {
        Set<String> out = new TreeSet<>();
        if (s.channel() == null) {
            out.add(SELF);
            return out;
        }
        if (s.recipients() == null) {
            out.addAll(s.channel().members());
        } else {
            for (String r : s.recipients()) if (s.channel().members().contains(r)) out.add(r);
        }
        out.add(s.sender());
        return out;
    }

    /** The oracle for a local account of this node (organisation SELF), from the TLP 2.0 audiences. */
    static boolean oracleLocal(boolean admin, Set<String> scopes, Share s, Tlp t) {
        boolean inAudience = s.channel() == null || s.channel().members().contains(SELF) || s.sender().equals(SELF);
        return switch (t) {
            case CLEAR, GREEN -> true;
            case AMBER, AMBER_STRICT -> inAudience;
            case RED -> named(s).contains(SELF) && (admin || scopes.contains("*") || (s.channel() != null && scopes.contains(s.channel().id())));
        };
    }

    /** The oracle for a peer fetching through a share this node sent: never above the channel's ceiling. */
    static boolean oraclePeer(String peer, Share s, Tlp t) {
        if (t.compareTo(s.channel().ceiling()) > 0) return false;
        return switch (t) {
            case CLEAR, GREEN -> true;
            case AMBER, AMBER_STRICT -> s.channel().members().contains(peer);
            case RED -> named(s).contains(peer);
        };
    }

    record Requester(String name, boolean admin, Set<String> scopes) {}

    @Property(tries = 120)
    void noPathEverReturnsAnObjectAboveWhatTheRequesterMaySee(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        int n = TRIES.incrementAndGet();
        String tag = "t" + n + "x" + Long.toHexString(seed & 0xffffff);
        Instant now = Instant.now();

        // channels
        List<Channel> channels = new ArrayList<>();
        int nc = 1 + r.nextInt(3);
        for (int i = 0; i < nc; i++) {
            List<String> members = new ArrayList<>();
            boolean withSelf = r.nextInt(5) != 0;
            if (withSelf) members.add(SELF);
            for (int k = 1; k < PARTIES.length; k++) if (r.nextBoolean()) members.add(PARTIES[k]);
            while (members.size() < 2) {
                String p = PARTIES[1 + r.nextInt(PARTIES.length - 1)];
                if (!members.contains(p)) members.add(p);
            }
            Channel c = new Channel(tag + "-ch" + i, members, Tlp.values()[r.nextInt(5)]);
            channels.add(c);
            SigningKey[] keys = members.stream().map(KEYS::get).toArray(SigningKey[]::new);
            CHARTERS.put(c.id(), Fixtures.charter(c.id(), c.ceiling(), keys));
        }
        String[] ips = new String[4];
        for (int i = 0; i < ips.length; i++) ips[i] = "10." + (n / 200) + "." + (n % 200) + "." + (i + 1);
        String[] cases = {tag + "-c1", tag + "-c2", tag + "-c3"};

        // shares
        List<Share> shares = new ArrayList<>();
        Map<String, Long> seqs = new HashMap<>();
        Map<String, String> prevs = new HashMap<>();
        EnvelopeStore envelopes = new EnvelopeStore(db);
        int ns = 1 + r.nextInt(5);
        for (int i = 0; i < ns; i++) {
            List<Obj> objs = new ArrayList<>();
            List<ObjectNode> nodes = new ArrayList<>();
            int no = 1 + r.nextInt(5);
            for (int k = 0; k < no; k++) {
                Obj o = new Obj("indicator--" + UUID.randomUUID(), ips[r.nextInt(ips.length)], r.nextInt(4) == 0 ? null : Tlp.values()[r.nextInt(5)],
                        r.nextInt(3) == 0 ? Tlp.values()[r.nextInt(5)] : null);
                objs.add(o);
                nodes.add(stix(o));
            }
            ObjectNode bundle = Stix.bundle(nodes);
            String caseId = cases[r.nextInt(cases.length)];
            int kind = r.nextInt(4); // 0 upload, 1 inline from a member, 2 by hash from this node, 3 inline from this node
            if (kind == 0) {
                Tlp unmarked = Tlp.values()[r.nextInt(5)];
                var stored = svc.ingest().upload(bundle, "someone", unmarked, caseId, "upload");
                shares.add(new Share(null, SELF, unmarked, null, objs, caseId, false, "", stored.sha256()));
                continue;
            }
            Channel c = channels.get(r.nextInt(channels.size()));
            String sender = kind == 1 ? c.members().get(r.nextInt(c.members().size())) : SELF;
            Tlp label = Tlp.values()[r.nextInt(c.ceiling().ordinal() + 1)];
            Set<String> recipients = null;
            if (r.nextBoolean()) {
                recipients = new TreeSet<>();
                for (String m : c.members()) if (r.nextBoolean()) recipients.add(m);
                if (recipients.isEmpty()) recipients.add(c.members().get(0));
            }
            ObjectNode body = Json.object().put("text", "share " + i);
            if (recipients != null) {
                var arr = body.putArray("recipients");
                recipients.forEach(arr::add);
            }
            String sha;
            if (kind == 2) {
                Tlp uploadUnmarked = Tlp.values()[r.nextInt(5)];
                sha = svc.ingest().upload(bundle, "someone", uploadUnmarked, caseId, "upload").sha256();
                shares.add(new Share(null, SELF, uploadUnmarked, null, objs, caseId, false, "", sha)); // the upload is a context too
                body.putArray("evidence").addObject().put("sha256", sha).put("name", "b" + i);
            } else {
                body.set("stix", bundle);
                sha = io.parley.identity.Sha256.hex(io.parley.json.Jcs.canonicalize(bundle));
            }
            String key = c.id() + "|" + sender;
            long seq = seqs.merge(key, 1L, Long::sum);
            Envelope e = EnvelopeSigner.sign(new Envelope(1, c.id(), sender, seq, prevs.get(key), Kind.NOTIFY, caseId, "2026-11-23T10:00:00Z",
                    Priority.ROUTINE, label, body, null), KEYS.get(sender));
            prevs.put(key, e.hash());
            assertTrue(envelopes.insert(e, e.hash(), now));
            shares.add(new Share(c, sender, label, recipients, objs, caseId, kind == 2, e.hash(), sha));
        }
        EvidenceWorkerHarness.indexAll(svc);

        List<Requester> locals = new ArrayList<>(List.of(new Requester("officer", false, Set.of()), new Requester("admin", true, Set.of()),
                new Requester("granted-all", false, Set.of("*"))));
        Channel pick = channels.get(r.nextInt(channels.size()));
        locals.add(new Requester("granted-one", false, Set.of(pick.id())));

        Map<String, List<Share>> sharesOfObject = new HashMap<>();
        Map<String, Obj> objById = new HashMap<>();
        for (Share s : shares) for (Obj o : s.objects()) {
            sharesOfObject.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(s);
            objById.put(o.id(), o);
        }

        for (Requester rq : locals) {
            LocalUser user = new LocalUser(rq.name(), SELF, rq.admin(), rq.scopes());
            TaxiiService taxii = new TaxiiService(svc, Clock.systemUTC());
            // TAXII: every collection of this try, paged, all versions; no leak and nothing withheld
            for (TaxiiService.CollectionInfo ci : taxii.collections(user)) {
                Channel ch = channels.stream().filter(c -> CollectionIds.ofChannel(c.id()).equals(ci.id())).findFirst().orElse(null);
                boolean ownCollection = ci.id().equals(CollectionIds.own(SELF));
                if (ch == null && !ownCollection) continue; // another try's channel
                Set<String> returned = new HashSet<>();
                TaxiiStore.Cursor cursor = null;
                do {
                    TaxiiStore.Page page = taxii.objects(user, ci, new TaxiiStore.Query(null, cursor, 3, null, null, null, TaxiiStore.Versions.ALL));
                    for (TaxiiStore.StoredObject o : page.rows()) {
                        if (!objById.containsKey(o.objectId())) continue; // another try's own uploads
                        returned.add(o.objectId());
                        Share s = contextIn(sharesOfObject.get(o.objectId()), ch);
                        assertNotNull(s, o.objectId());
                        Tlp t = governing(objById.get(o.objectId()), s);
                        assertTrue(oracleLocal(rq.admin(), rq.scopes(), s, t), () -> rq + " got " + o.objectId() + " at " + t + " via " + s);
                        assertFalse(taxii.versions(user, ci, o.objectId(), new TaxiiStore.Query(null, null, 10, null, null, null, TaxiiStore.Versions.ALL))
                                .rows().isEmpty());
                    }
                    cursor = page.more() ? new TaxiiStore.Cursor(page.rows().get(page.rows().size() - 1).dateAdded(),
                            page.rows().get(page.rows().size() - 1).id()) : null;
                } while (cursor != null);
                for (Share s : shares) {
                    if (!(ownCollection ? s.channel() == null : s.channel() == ch)) continue;
                    for (Obj o : s.objects()) {
                        Share ctx = contextIn(sharesOfObject.get(o.id()), ch);
                        if (ctx == s && oracleLocal(rq.admin(), rq.scopes(), s, governing(o, s))) {
                            assertTrue(returned.contains(o.id()), () -> rq + " was denied " + o + " via " + s);
                        }
                    }
                }
            }
            // GET evidence (and exports, built from the same redacted bundle): allowed in some context of that bundle
            for (Share s : shares) {
                Optional<ObjectNode> b = svc.access().visibleBundle(user, s.sha());
                if (b.isEmpty()) continue;
                for (JsonNode o : b.get().get("objects")) {
                    String id = o.path("id").asText();
                    boolean ok = sharesOfObject.get(id).stream().filter(x -> x.sha().equals(s.sha()) && (x.channel() == null || !x.envelopeHash().isEmpty()))
                            .anyMatch(x -> oracleLocal(rq.admin(), rq.scopes(), x, governing(objById.get(id), x)));
                    assertTrue(ok, () -> rq + " read " + id + " in evidence " + s.sha());
                }
                io.parley.evidence.MispExport.toMisp(b.get()); // exports take exactly this bundle
            }
            // correlation: indicator sightings and case correlations
            for (String ip : ips) {
                for (JsonNode row : svc.correlation().sightings(user, ObservableType.IPV4, ip)) {
                    boolean ok = shares.stream().anyMatch(s -> matches(s, row) && s.objects().stream()
                            .anyMatch(o -> o.ip().equals(ip) && governing(o, s).wire().equals(row.path("tlp").asText())
                                    && oracleLocal(rq.admin(), rq.scopes(), s, governing(o, s))));
                    assertTrue(ok, () -> rq + " saw sighting " + row);
                }
            }
            for (String c : cases) {
                for (JsonNode corr : svc.correlation().caseCorrelations(user, null, c).path("correlated_cases")) {
                    for (JsonNode shared : corr.path("shared")) {
                        String ip = shared.path("value").asText();
                        assertTrue(visibleIn(rq, shares, c, ip), () -> rq + " correlated " + c + " via invisible " + ip);
                        assertTrue(visibleIn(rq, shares, corr.path("case").asText(), ip), () -> rq + " saw " + ip + " of " + corr);
                    }
                }
            }
        }

        // peers fetching bundles this node named by hash
        for (Share s : shares) {
            if (!s.byHash()) continue;
            for (int k = 1; k < PARTIES.length; k++) {
                String peer = PARTIES[k];
                ObjectNode got;
                try {
                    got = svc.access().forPeer(peer, s.sha(), s.envelopeHash());
                } catch (EvidenceException e) {
                    if (e.status() == 403) assertFalse(s.channel().members().contains(peer), peer + " is a member of " + s.channel());
                    else assertEquals(404, e.status());
                    continue;
                }
                assertTrue(s.channel().members().contains(peer));
                for (JsonNode o : got.get("objects")) {
                    Tlp t = governing(objById.get(o.path("id").asText()), s);
                    assertTrue(oraclePeer(peer, s, t), () -> peer + " fetched " + o.path("id").asText() + " at " + t + " via " + s);
                }
            }
        }
    }

    /** The share whose context a row in {@code channel}'s collection (null: own collection) was stored under: the first. */
    static Share contextIn(List<Share> shares, Channel channel) {
        for (Share s : shares) {
            if (channel == null ? s.channel() == null : s.channel() == channel) return s;
        }
        return null;
    }

    static boolean matches(Share s, JsonNode row) {
        String channel = row.path("channel").isNull() ? null : row.path("channel").asText();
        boolean sameChannel = s.channel() == null ? channel == null : s.channel().id().equals(channel);
        return sameChannel && s.sender().equals(row.path("party").asText()) && s.caseId().equals(row.path("case").asText());
    }

    static boolean visibleIn(Requester rq, List<Share> shares, String caseId, String ip) {
        return shares.stream().anyMatch(s -> s.caseId().equals(caseId) && s.objects().stream()
                .anyMatch(o -> o.ip().equals(ip) && oracleLocal(rq.admin(), rq.scopes(), s, governing(o, s))));
    }

    static ObjectNode stix(Obj o) {
        ObjectNode n = Stix.indicator(o.id(), Instant.parse("2025-01-01T00:00:00Z"), o.objectTlp(), o.ip());
        n.put("description", "seen beaconing");
        if (o.granularTlp() != null) {
            ObjectNode g = n.putArray("granular_markings").addObject();
            g.put("marking_ref", WellKnownMarkings.tlp2Id(o.granularTlp()));
            g.putArray("selectors").add("description");
        }
        return n;
    }
}
