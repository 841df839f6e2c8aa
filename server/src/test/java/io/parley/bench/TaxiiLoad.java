package io.parley.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.StixIds;
import io.parley.evidence.StixValidator;
import io.parley.evidence.WellKnownMarkings;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.taxii.CollectionIds;
import io.parley.taxii.TaxiiStore;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;

/**
 * Load tool (not JMH): TAXII 2.1 objects pages over real HTTP on loopback with a million objects in one collection, on
 * SQLite and on embedded PostgreSQL; and STIX 2.1 validation throughput for a 1,000-object bundle.
 *
 * <p>Method, per backend: a real node ({@link TestNodes#start}) on a fresh database; {@code count} indicator objects
 * (about 600 bytes of JSON each; every 20th TLP:RED, so the visibility clause filters) are inserted into the
 * own-sharing collection through {@link TaxiiStore#insert} in batches of 10,000. Then {@code --clients} threads, each
 * with its own keep-alive HTTP client and an officer's Basic credentials, request
 * {@code GET /taxii2/api/collections/{id}/objects/?limit=100}:
 * <ol>
 * <li><b>next</b>: each client walks the collection from a random starting point ({@code added_after}) following
 * {@code next} cursors, for {@code --seconds};</li>
 * <li><b>added_after</b>: each request uses a random {@code added_after} between the first and last date_added, for
 * {@code --seconds}.</li>
 * </ol>
 * Each request's wall time (send to body fully read) is recorded; the tool prints requests/s and p50/p99/max. The
 * responses are parsed and checked to hold 100 objects. The first 200 requests of each phase are warm-up and not
 * counted.
 *
 * <p>Validation: {@link StixValidator#validate} of one bundle of 1,000 objects (indicators, ipv4-addr SCOs, malware,
 * relationships; all valid), in a loop for {@code --seconds} after 20 warm-up rounds, single-threaded.
 *
 * <p>Run from the repository root:
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -B -q -DskipTests -DbuildDir=$PWD/target/bench test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=$PWD/target/bench/classpath.txt -Dmdep.includeScope=test
 * $JAVA_HOME/bin/java -Xmx2g -cp "target/bench/test-classes:target/bench/classes:$(cat target/bench/classpath.txt)" \
 *     io.parley.bench.TaxiiLoad [both|sqlite|postgresql|validate] [count=1000000] [--clients 2] [--seconds 30]
 * </pre>
 */
public final class TaxiiLoad {
    static final String TAXII = "application/taxii+json;version=2.1";

    record Stats(String name, long requests, double seconds, double p50, double p99, double max) {
        double perSecond() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 && !args[0].startsWith("--") ? args[0] : "both";
        int count = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 1_000_000;
        int clients = intOpt(args, "--clients", 2);
        int seconds = intOpt(args, "--seconds", 30);
        System.out.printf("TaxiiLoad: %s, %d objects, %d clients, %d s per phase, %d cpus, Java %s%n", which, count, clients, seconds,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        List<String> lines = new ArrayList<>();
        Path tmp = Files.createTempDirectory("taxii-load");
        if (which.equals("both") || which.equals("sqlite")) lines.addAll(runBackend("sqlite", null, tmp, count, clients, seconds));
        if (which.equals("both") || which.equals("postgresql")) {
            String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp) + "&reWriteBatchedInserts=true";
            lines.addAll(runBackend("postgresql", url, tmp, count, clients, seconds));
        }
        if (which.equals("both") || which.equals("validate")) lines.add(validation(Math.max(10, seconds)));
        System.out.println();
        System.out.println("backend     phase         requests  secs    req/s   p50 ms   p99 ms   max ms");
        lines.forEach(System.out::println);
        System.exit(0); // embedded PostgreSQL's shutdown hook stops the server
    }

    static int intOpt(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return fallback;
    }

    static List<String> runBackend(String backend, String url, Path tmp, int count, int clients, int seconds) throws Exception {
        NodeServer node = TestNodes.start(tmp.resolve(backend), "bench-" + backend + ".example", url, Clock.systemUTC());
        try {
            TaxiiStore store = new TaxiiStore(node.node().db());
            String coll = CollectionIds.own(node.node().origin());
            long t0 = System.nanoTime();
            int batch = 10_000;
            for (int i = 0; i < count; i += batch) {
                List<TaxiiStore.NewObject> rows = new ArrayList<>(batch);
                for (int j = i; j < Math.min(count, i + batch); j++) rows.add(object(j));
                store.insert(coll, rows, Instant.now());
                if ((i / batch) % 10 == 9) System.out.printf("  %s: %,d inserted (%.0f/s)%n", backend, i + batch, (i + batch) / ((System.nanoTime() - t0) / 1e9));
            }
            double insertSecs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: inserted %,d objects in %.1f s (%.0f objects/s); collection holds %,d%n", backend, count, insertSecs,
                    count / insertSecs, store.count(coll));
            String base = node.baseUrl() + "/taxii2/api/collections/" + coll + "/objects/?limit=100";
            // the collection's date range, for random added_after values
            long first = node.node().db().queryOne("SELECT MIN(date_added) FROM stix_objects WHERE collection = ?", rs -> rs.getLong(1), coll).orElseThrow();
            long last = node.node().db().queryOne("SELECT MAX(date_added) FROM stix_objects WHERE collection = ?", rs -> rs.getLong(1), coll).orElseThrow();
            Stats next = phase(backend, "next", clients, seconds, () -> new Walker(base, first, last));
            Stats after = phase(backend, "added_after", clients, seconds, () -> new RandomAfter(base, first, last));
            return List.of(line(backend, next), line(backend, after));
        } finally {
            node.close();
        }
    }

    static String line(String backend, Stats s) {
        return String.format("%-11s %-12s %9d %5.1f %8.0f %8.2f %8.2f %8.2f", backend, s.name(), s.requests(), s.seconds(), s.perSecond(),
                s.p50(), s.p99(), s.max());
    }

    /** One client's next URL to request, given the last response. */
    interface Client {
        String nextUrl();

        void answered(JsonNode envelope);
    }

    /** Follows next cursors from a random starting point; starts over at a new point at the end of the collection. */
    static final class Walker implements Client {
        final String base;
        final long first, last;
        String next;

        Walker(String base, long first, long last) {
            this.base = base;
            this.first = first;
            this.last = last;
        }

        public String nextUrl() {
            if (next == null) return base + "&added_after=" + TaxiiStore.format(first + ThreadLocalRandom.current().nextLong(Math.max(1, last - first)));
            return base + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        }

        public void answered(JsonNode env) {
            next = env.path("more").asBoolean() ? env.path("next").asText() : null;
        }
    }

    static final class RandomAfter implements Client {
        final String base;
        final long first, last;

        RandomAfter(String base, long first, long last) {
            this.base = base;
            this.first = first;
            this.last = last;
        }

        public String nextUrl() {
            long span = Math.max(1, (last - first) * 99 / 100); // leave at least a page after the value
            return base + "&added_after=" + TaxiiStore.format(first + ThreadLocalRandom.current().nextLong(span));
        }

        public void answered(JsonNode env) {}
    }

    static Stats phase(String backend, String name, int clients, int seconds, java.util.function.Supplier<Client> factory) throws Exception {
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((TestNodes.USER + ":" + TestNodes.PASSWORD).getBytes(StandardCharsets.UTF_8));
        AtomicLong short_ = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] samples = new long[2_000_000];
            perThread.add(samples);
            threads.add(Thread.ofPlatform().unstarted(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Client client = factory.get();
                int n = 0;
                long end = 0;
                try {
                    for (int i = 0; ; i++) {
                        if (i == 200) {
                            end = System.nanoTime() + seconds * 1_000_000_000L;
                        }
                        if (i > 200 && System.nanoTime() > end) break;
                        HttpRequest req = HttpRequest.newBuilder(URI.create(client.nextUrl())).header("Accept", TAXII).header("Authorization", auth).GET().build();
                        long s = System.nanoTime();
                        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - s;
                        if (res.statusCode() != 200) throw new IllegalStateException("HTTP " + res.statusCode() + ": " + new String(res.body(), StandardCharsets.UTF_8));
                        JsonNode env = Json.parse(res.body());
                        if (env.path("objects").size() < 100 && env.path("more").asBoolean()) short_.incrementAndGet();
                        client.answered(env);
                        if (i >= 200 && n < samples.length) samples[n++] = took;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                samples[samples.length - 1] = n;
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        long total = 0;
        List<Long> all = new ArrayList<>();
        for (long[] s : perThread) {
            int n = (int) s[s.length - 1];
            total += n;
            for (int i = 0; i < n; i++) all.add(s[i]);
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        if (short_.get() > 0) System.out.printf("  %s/%s: %d pages with fewer than 100 objects while more=true%n", backend, name, short_.get());
        double secs = seconds; // each client measured for `seconds` after its warm-up
        return new Stats(name, total, secs, pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** A realistic indicator (~600 bytes); every 20th is TLP:RED, the rest GREEN. */
    static TaxiiStore.NewObject object(int i) {
        String id = "indicator--" + UUID.randomUUID();
        Tlp tlp = i % 20 == 0 ? Tlp.RED : Tlp.GREEN;
        String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        ObjectNode o = indicator(id, ip, tlp);
        return new TaxiiStore.NewObject(id, "indicator", "2.1", o.get("modified").asText(), TaxiiStore.micros(Instant.parse(o.get("modified").asText())),
                tlp, true, null, null, "bench", null, null, Json.write(o));
    }

    static ObjectNode indicator(String id, String ip, Tlp tlp) {
        ObjectNode o = Json.object();
        o.put("type", "indicator").put("spec_version", "2.1").put("id", id)
                .put("created_by_ref", "identity--f690c992-8e7d-4b9a-9303-3312616c0220")
                .put("created", "2025-01-15T10:00:00.000Z").put("modified", "2025-01-15T10:00:00.000Z")
                .put("name", "C2 server " + ip).put("description", "Command and control server observed in a phishing campaign against ministries");
        o.putArray("indicator_types").add("malicious-activity");
        o.put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix").put("pattern_version", "2.1")
                .put("valid_from", "2025-01-15T10:00:00.000Z").put("confidence", 80);
        o.putArray("labels").add("c2").add("phishing");
        o.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    static String validation(int seconds) {
        ObjectNode bundle = Json.object().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        ArrayNode objects = bundle.putArray("objects");
        objects.addObject().put("type", "identity").put("spec_version", "2.1").put("id", "identity--f690c992-8e7d-4b9a-9303-3312616c0220")
                .put("created", "2025-01-15T10:00:00.000Z").put("modified", "2025-01-15T10:00:00.000Z").put("name", "CERT-A")
                .put("identity_class", "organization");
        String malware = "malware--" + UUID.randomUUID();
        objects.addObject().put("type", "malware").put("spec_version", "2.1").put("id", malware).put("created", "2025-01-15T10:00:00.000Z")
                .put("modified", "2025-01-15T10:00:00.000Z").put("name", "Dropper").put("is_family", true).putArray("malware_types").add("dropper");
        int i = 0;
        while (objects.size() < 1000) {
            String ip = "10.1." + (i >> 8 & 255) + "." + (i & 255);
            ObjectNode ind = indicator("indicator--" + UUID.randomUUID(), ip, Tlp.GREEN);
            objects.add(ind);
            ObjectNode sco = Json.object().put("type", "ipv4-addr").put("spec_version", "2.1")
                    .put("id", StixIds.scoId("ipv4-addr", Json.object().put("value", ip))).put("value", ip);
            objects.add(sco);
            objects.addObject().put("type", "relationship").put("spec_version", "2.1").put("id", "relationship--" + UUID.randomUUID())
                    .put("created", "2025-01-15T10:00:00.000Z").put("modified", "2025-01-15T10:00:00.000Z").put("relationship_type", "indicates")
                    .put("source_ref", ind.get("id").asText()).put("target_ref", malware);
            i++;
        }
        while (objects.size() > 1000) objects.remove(objects.size() - 1);
        StixValidator v = StixValidator.shared();
        var report = v.validate(bundle);
        if (!report.valid()) throw new IllegalStateException("benchmark bundle invalid: " + report.violations().subList(0, Math.min(3, report.violations().size())));
        for (int w = 0; w < 20; w++) v.validate(bundle);
        long n = 0;
        long t0 = System.nanoTime(), end = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (!v.validate(bundle).valid()) throw new IllegalStateException();
            n++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return String.format("validation  1000 objects  %9d %5.1f %8.1f bundles/s (%.0f objects/s, %.2f ms per bundle)", n, secs, n / secs,
                n * 1000 / secs, secs * 1000 / n);
    }
}
