package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.store.EnvelopeStore;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;

/** The evidence and TAXII storage contract, on SQLite and on a real PostgreSQL server. */
class EvidenceStoreContractTest {
    @TempDir Path tmp;
    static final SigningKey SELF = SigningKey.generate("cert-s.example");
    static final SigningKey PEER = SigningKey.generate("cert-p.example");
    static final MarkingPolicy.Clearance OFFICER = new MarkingPolicy.Clearance(Tlp.AMBER_STRICT, false);
    static final MarkingPolicy.Clearance ADMIN = new MarkingPolicy.Clearance(Tlp.AMBER_STRICT, true);
    final Instant t0 = Instant.parse("2026-11-23T12:00:00Z");

    static ChannelDirectory directory(Charter... charters) {
        Map<String, Charter> m = new ConcurrentHashMap<>();
        for (Charter c : charters) m.put(c.channel(), c);
        return new ChannelDirectory() {
            @Override
            public Optional<Charter> charter(String channel) {
                return Optional.ofNullable(m.get(channel));
            }

            @Override
            public List<Charter> all() {
                return List.copyOf(m.values());
            }
        };
    }

    static TaxiiStore.NewObject row(String id, long version, Tlp tlp, boolean named, String type) {
        return new TaxiiStore.NewObject(id, type, "2.1", TaxiiStore.format(version), version, tlp, named, "ch", null, "cert-p.example", null, null,
                "{\"id\":\"" + id + "\",\"v\":" + version + "}");
    }

    static TaxiiStore.Query all(int limit, TaxiiStore.Cursor after) {
        return new TaxiiStore.Query(null, after, limit, null, null, null, TaxiiStore.Versions.ALL);
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void keysetPagesVisibilityAndVersionFilters(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            TaxiiStore store = new TaxiiStore(db);
            String c = UUID.randomUUID().toString();
            List<TaxiiStore.NewObject> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) rows.add(row("indicator--" + i, 1000, i % 10 == 0 ? Tlp.RED : Tlp.GREEN, i % 20 == 0, "indicator"));
            assertEquals(50, store.insert(c, rows, t0));
            assertEquals(0, store.insert(c, rows.subList(0, 5), t0), "a version already held is left as it was");
            // three versions of one object, the newest RED
            store.insert(c, List.of(row("malware--m", 1, Tlp.GREEN, true, "malware"), row("malware--m", 2, Tlp.GREEN, true, "malware"),
                    row("malware--m", 3, Tlp.RED, false, "malware")), t0);

            List<String> seen = new ArrayList<>();
            TaxiiStore.Cursor cursor = null;
            long lastAdded = -1;
            while (true) {
                TaxiiStore.Page page = store.objects(c, OFFICER, all(7, cursor));
                for (TaxiiStore.StoredObject o : page.rows()) {
                    assertTrue(o.dateAdded() > lastAdded, "date_added strictly increases");
                    lastAdded = o.dateAdded();
                    seen.add(o.objectId());
                }
                if (!page.more()) break;
                TaxiiStore.StoredObject last = page.rows().get(page.rows().size() - 1);
                cursor = new TaxiiStore.Cursor(last.dateAdded(), last.id());
            }
            assertEquals(45 + 2, seen.size(), "RED rows hidden from an officer: " + seen);
            assertEquals(seen.size(), new HashSet<>(seen).size() + 1, "only malware--m repeats (two visible versions)");
            // admin sees RED rows only where this node is named
            long adminVisible = store.objects(c, ADMIN, all(1000, null)).rows().size();
            assertEquals(47 + 3, adminVisible, "RED named rows 0, 20, 40 become visible; unnamed 10, 30 and malware v3 do not");

            TaxiiStore.Query last = new TaxiiStore.Query(null, null, 100, List.of("malware--m"), null, null, TaxiiStore.Versions.LAST);
            assertEquals("{\"id\":\"malware--m\",\"v\":2}", store.objects(c, OFFICER, last).rows().get(0).json(),
                    "last among what the requester may see");
            TaxiiStore.Query first = new TaxiiStore.Query(null, null, 100, List.of("malware--m"), null, null,
                    new TaxiiStore.Versions(false, false, true, List.of()));
            assertEquals(1, store.objects(c, OFFICER, first).rows().size());
            TaxiiStore.Query exact = new TaxiiStore.Query(null, null, 100, null, List.of("malware"), null,
                    new TaxiiStore.Versions(false, false, false, List.of(2L)));
            assertEquals("{\"id\":\"malware--m\",\"v\":2}", store.objects(c, OFFICER, exact).rows().get(0).json());
            assertEquals(2, store.versions(c, "malware--m", OFFICER, all(10, null)).rows().size());
            assertEquals(0, store.objects(c, OFFICER, new TaxiiStore.Query(null, null, 10, null, null, List.of("2.0"), TaxiiStore.Versions.ALL)).rows().size());
            // added_after is strictly after
            List<TaxiiStore.StoredObject> everything = store.objects(c, ADMIN, all(1000, null)).rows();
            long pivot = everything.get(10).dateAdded();
            List<TaxiiStore.StoredObject> after = store.objects(c, ADMIN, new TaxiiStore.Query(pivot, null, 1000, null, null, null, TaxiiStore.Versions.ALL)).rows();
            assertEquals(everything.size() - 11, after.size());
            assertEquals(everything.get(11).id(), after.get(0).id());
            assertEquals(Set.of("indicator--1", "indicator--2"), new HashSet<>(store.existing(c, List.of("indicator--1", "indicator--2", "nope--x"))));
            assertEquals(2, store.holdings(List.of("indicator--1", "malware--m")).stream().map(TaxiiStore.Holding::objectId).distinct().count());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void pagingIsStableWhileOtherConnectionsInsert(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            TaxiiStore store = new TaxiiStore(db);
            String c = UUID.randomUUID().toString();
            AtomicBoolean stop = new AtomicBoolean();
            List<String> written = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int wn = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get() && i < 400; i++) {
                        List<TaxiiStore.NewObject> batch = new ArrayList<>();
                        for (int j = 0; j < 5; j++) batch.add(row("indicator--w" + wn + "-" + i + "-" + j, 1, Tlp.GREEN, true, "indicator"));
                        store.insert(c, batch, Instant.now());
                        batch.forEach(b -> written.add(b.objectId()));
                    }
                }));
            }
            List<String> seen = new ArrayList<>();
            TaxiiStore.Cursor cursor = null;
            int idle = 0;
            while (idle < 3) {
                TaxiiStore.Page page = store.objects(c, OFFICER, all(37, cursor));
                for (TaxiiStore.StoredObject o : page.rows()) seen.add(o.objectId());
                if (!page.rows().isEmpty()) {
                    TaxiiStore.StoredObject last = page.rows().get(page.rows().size() - 1);
                    cursor = new TaxiiStore.Cursor(last.dateAdded(), last.id());
                }
                boolean writing = writers.stream().anyMatch(Thread::isAlive);
                idle = page.more() || writing ? 0 : idle + 1;
            }
            stop.set(true);
            for (Thread t : writers) t.join();
            // a final page after every writer finished
            while (true) {
                TaxiiStore.Page page = store.objects(c, OFFICER, all(1000, cursor));
                page.rows().forEach(o -> seen.add(o.objectId()));
                if (page.rows().isEmpty()) break;
                TaxiiStore.StoredObject last = page.rows().get(page.rows().size() - 1);
                cursor = new TaxiiStore.Cursor(last.dateAdded(), last.id());
            }
            assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicates");
            assertEquals(new HashSet<>(written), new HashSet<>(seen), "no gaps: a reader following the cursor saw every committed object");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void bundlesLinksObservablesGrantsAndTheCursor(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            EvidenceStore store = new EvidenceStore(db);
            var b = new EvidenceStore.Bundle("a".repeat(64), "{}", 2, 1, Tlp.AMBER, "upload", "duty", "case-1", t0);
            assertTrue(store.putBundle(b));
            assertFalse(store.putBundle(b));
            assertEquals(b, store.bundle(b.sha256()).orElseThrow());

            var link = new EvidenceStore.Link("e".repeat(64), "b".repeat(64), "ch", "cert-p.example", "case-2", Tlp.RED,
                    Set.of("cert-s.example"), "pcap", false, EvidenceStore.PENDING, null, 0, t0.toEpochMilli(), null);
            assertTrue(store.putLink(link, t0));
            assertFalse(store.putLink(link, t0));
            assertEquals(1, store.due(t0.toEpochMilli(), 10).size());
            store.retryLater(link.envelopeHash(), link.refSha256(), t0.toEpochMilli() + 1000, "down");
            assertEquals(0, store.due(t0.toEpochMilli(), 10).size());
            assertEquals(1, store.link(link.envelopeHash(), link.refSha256()).orElseThrow().attempts());
            store.settle(link.envelopeHash(), link.refSha256(), EvidenceStore.STORED, b.sha256(), "ok");
            assertEquals(Set.of("cert-s.example"), store.linksHolding(b.sha256()).get(0).recipients());
            assertEquals(1, store.linksNaming("b".repeat(64)).size());

            store.putObservables(List.of(
                    new EvidenceStore.ObservableRow("ipv4", "203.0.113.7", "s1", "", "", "case-1", "cert-s.example", null, Tlp.GREEN, t0),
                    new EvidenceStore.ObservableRow("ipv4", "203.0.113.7", "s2", "env2", "ch", "case-2", "cert-p.example", Set.of("cert-s.example"), Tlp.RED, t0.plusSeconds(1)),
                    new EvidenceStore.ObservableRow("domain", "c2.example", "s2", "env2", "ch", "case-2", "cert-p.example", null, Tlp.GREEN, t0)));
            store.putObservables(List.of(new EvidenceStore.ObservableRow("ipv4", "203.0.113.7", "s1", "", "", "case-1", "cert-s.example", null, Tlp.GREEN, t0)));
            List<EvidenceStore.ObservableRow> s = store.sightings("ipv4", "203.0.113.7", 10);
            assertEquals(List.of("case-2", "case-1"), s.stream().map(EvidenceStore.ObservableRow::caseId).toList(), "newest first, stored once");
            assertEquals(Set.of("cert-s.example"), s.get(0).recipients());
            List<EvidenceStore.Pair> pairs = store.sharedWithOtherCases(null, "case-1", 10);
            assertEquals(1, pairs.size());
            assertEquals("case-2", pairs.get(0).other().caseId());
            // a case is (channel, id): the same id in another channel is another case, correlated like any other
            store.putObservables(List.of(new EvidenceStore.ObservableRow("ipv4", "203.0.113.7", "s3", "env3", "other", "case-2", "cert-x.example", null, Tlp.GREEN, t0)));
            assertEquals(Set.of("|case-1", "other|case-2"), store.sharedWithOtherCases("ch", "case-2", 10).stream()
                    .map(p -> p.other().channel() + "|" + p.other().caseId()).collect(java.util.stream.Collectors.toSet()));

            store.setRedScopes("duty", Set.of("ch", "*"), "boss", t0);
            assertEquals(Set.of("*", "ch"), store.redScopes("duty"));
            store.setRedScopes("duty", Set.of(), "boss", t0);
            assertTrue(store.redScopes("duty").isEmpty());

            assertEquals(0, store.cursor("x"));
            store.advance("x", 5);
            store.advance("x", 3);
            assertEquals(5, store.cursor("x"), "the cursor never moves back");
            TaxiiStore ts = new TaxiiStore(db);
            ts.putStatus("st-1", "duty", "c", "{\"id\":\"st-1\"}", t0);
            assertTrue(ts.status("st-1", "duty").isPresent());
            assertTrue(ts.status("st-1", "boss").isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void envelopesAreIndexedWithTheirAudienceAndRedactedPerRequester(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            SigningKey other = SigningKey.generate("cert-o.example");
            Charter ch = Fixtures.charter("ch", Tlp.RED, SELF, PEER, other);
            Evidence svc = Evidence.of(new EvidenceStore(db), new TaxiiStore(db), directory(ch), SELF.name(), java.time.Clock.systemUTC());
            ObjectNode green = Stix.indicator(Tlp.GREEN, "203.0.113.90"), red = Stix.indicator(Tlp.RED, "203.0.113.91"),
                    unmarked = Stix.indicator(null, "203.0.113.92");
            ObjectNode body = Json.object().put("text", "x");
            body.set("stix", Stix.bundle(green, red, unmarked));
            body.putArray("recipients").add(SELF.name());
            Envelope e = EnvelopeSigner.sign(new Envelope(1, "ch", PEER.name(), 1, null, Kind.NOTIFY, "case-9", "2026-11-23T10:00:00Z",
                    Priority.URGENT, Tlp.AMBER, body, null), PEER);
            new EnvelopeStore(db).insert(e, e.hash(), t0);
            EvidenceWorkerHarness.indexAll(svc);
            String coll = CollectionIds.ofChannel("ch");
            var officer = svc.access().requester("duty", "officer");
            var admin = svc.access().requester("boss", "admin");
            var info = new TaxiiService(svc, java.time.Clock.systemUTC()).collection(officer, coll).orElseThrow();
            assertEquals(2, svc.taxii().objects(coll, MarkingPolicy.clearance(officer, info.audience()), all(100, null)).rows().size(),
                    "green, and the unmarked one at the envelope's AMBER");
            assertEquals(3, svc.taxii().objects(coll, MarkingPolicy.clearance(admin, info.audience()), all(100, null)).rows().size(),
                    "RED is named to this node");
            String sha = svc.store().linksNaming(svc.store().db().query("SELECT ref_sha256 FROM evidence_links", rs -> rs.getString(1)).get(0))
                    .get(0).storedSha256();
            assertEquals(2, svc.access().visibleBundle(officer, sha).orElseThrow().get("objects").size());
            assertEquals(3, svc.access().visibleBundle(admin, sha).orElseThrow().get("objects").size());
            // correlation: the RED sighting only for the admin
            assertEquals(0, svc.correlation().sightings(officer, io.parley.evidence.ObservableType.IPV4, "203.0.113.91").size());
            assertEquals(1, svc.correlation().sightings(admin, io.parley.evidence.ObservableType.IPV4, "203.0.113.91").size());
            assertEquals("case-9", svc.correlation().sightings(officer, io.parley.evidence.ObservableType.IPV4, "203.0.113.92").get(0).path("case").asText());
            // indexing again changes nothing
            EvidenceWorkerHarness.reindex(svc);
            assertEquals(3, svc.taxii().count(coll));
        }
    }
}
