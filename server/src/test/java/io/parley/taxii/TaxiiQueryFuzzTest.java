package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy;
import io.parley.fuzz.FuzzBudget;
import io.parley.store.Database;

/**
 * The query parameters of TAXII GETs (objects, manifest, versions: {@code added_after}, {@code limit}, {@code next},
 * {@code match[id|type|version|spec_version]}), read by {@link TaxiiRoutes#query} exactly as the routes read them and
 * then run against a real collection on SQLite. Contract: the reader accepts or throws {@link TaxiiException} (a 400
 * TAXII error); an accepted query runs without a database error and returns at most {@code limit} rows in
 * (date_added, id) order, each after the {@code next} cursor. Round trip: every cursor the server hands out decodes
 * to itself, and decoding any client string never throws.
 */
class TaxiiQueryFuzzTest {
    private static final List<String> NAMES = List.of("added_after", "limit", "next", "match[id]", "match[type]",
            "match[version]", "match[spec_version]");
    private static final String COLLECTION = CollectionIds.own("cert-a.example");
    private static final Store STORE = Store.open();

    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void query(FuzzedDataProvider data) {
        TaxiiStore.Cursor handedOut = new TaxiiStore.Cursor(data.consumeLong(0, Long.MAX_VALUE), data.consumeLong(0, Long.MAX_VALUE));
        assertEquals(handedOut, Cursors.decode(Cursors.encode(handedOut)).orElseThrow(), "cursor round trip");
        boolean versionsAllowed = data.consumeBoolean();
        Map<String, List<String>> params = new HashMap<>();
        int n = data.consumeInt(0, 12);
        for (int i = 0; i < n; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(24);
            String value = data.consumeBoolean() && name.equals("next") ? Cursors.encode(handedOut) : data.consumeString(200);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        params.values().forEach(vs -> vs.forEach(Cursors::decode));
        TaxiiStore.Query q;
        try {
            q = TaxiiRoutes.query(name -> params.getOrDefault(name, List.of()), versionsAllowed);
        } catch (TaxiiException badRequest) {
            assertEquals(400, badRequest.status());
            return;
        }
        assertTrue(q.limit() >= 1 && q.limit() <= TaxiiService.MAX_LIMIT);
        TaxiiStore.Page page = STORE.taxii.objects(COLLECTION, new MarkingPolicy.Clearance(Tlp.AMBER, false), q);
        assertTrue(page.rows().size() <= q.limit());
        TaxiiStore.StoredObject previous = null;
        for (TaxiiStore.StoredObject row : page.rows()) {
            if (q.after() != null) assertTrue(row.dateAdded() > q.after().dateAdded()
                    || (row.dateAdded() == q.after().dateAdded() && row.id() > q.after().id()), "row before the cursor");
            if (q.addedAfter() != null) assertTrue(row.dateAdded() > q.addedAfter(), "row not added after added_after");
            if (previous != null) assertTrue(previous.dateAdded() <= row.dateAdded(), "rows out of order");
            previous = row;
        }
    }

    /** A collection with a few versions of a few objects at several TLPs. */
    private record Store(TaxiiStore taxii) {
        static Store open() {
            try {
                Path dir = Files.createTempDirectory("parley-taxii-fuzz");
                dir.toFile().deleteOnExit();
                TaxiiStore taxii = new TaxiiStore(Database.open("jdbc:sqlite:" + dir.resolve("taxii.db")));
                List<TaxiiStore.NewObject> rows = new ArrayList<>();
                Instant t = Instant.parse("2026-01-02T03:04:05.123456Z");
                for (int i = 0; i < 12; i++) {
                    String id = "indicator--00000000-0000-4000-8000-00000000000" + (i % 4);
                    String version = t.plusSeconds(i).toString();
                    rows.add(new TaxiiStore.NewObject(id, "indicator", "2.1", version, TaxiiStore.micros(t.plusSeconds(i)),
                            Tlp.values()[i % Tlp.values().length], false, null, null, "cert-a.example", "", null,
                            "{\"type\":\"indicator\",\"id\":\"" + id + "\",\"modified\":\"" + version + "\"}"));
                }
                taxii.insert(COLLECTION, rows, t.plusSeconds(100));
                return new Store(taxii);
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the fuzzed TAXII store", e);
            }
        }
    }
}
