package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.WellKnownMarkings;
import io.parley.identity.Sha256;
import io.parley.json.Json;
import io.parley.log.EntryBundle;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;
import io.parley.server.NodeServer;
import io.parley.store.StoredEnvelope;
import io.parley.taxii.CollectionIds;
import io.parley.testing.TestNodes;

/**
 * The "Done means" walk of issue 10: a network holding AMBER, AMBER+STRICT and RED traffic (free text in Cyrillic and
 * CJK, a typed request with summary and asked fields, an inline and an uploaded STIX bundle with distinctive
 * indicators), then every endpoint each honest node registers, called without credentials with real path parameters
 * substituted, must serve none of that traffic.
 *
 * <p>What is asserted, per response (status line, headers and body):
 * <ul>
 * <li>no marker text (whole, its ASCII tag, or its non-ASCII part alone), no channel id, case id, indicator value,
 * evidence hash or STIX id;</li>
 * <li>no envelope hash in any textual form (hex, base64, base64url). In binary it may appear only in entry bundles
 * ({@code /log/tile/entries/...}): the log entry of an envelope is by design (DESIGN §3) the SHA-256 of its canonical
 * bytes, which is its hash; that commitment is what "the log's hashes" means and is what lets any holder prove
 * inclusion. Every entry is checked to be exactly 32 bytes, and every stored envelope's hash to be among them;</li>
 * <li>no per-message metadata: no {@code tlp}/{@code kind}/{@code priority}/{@code channel}/{@code case} member or
 * label, and no {@code /metrics} series labelled with an authenticated route (which, timed against the log's
 * growth, would tell what kind of message each entry is);</li>
 * <li>no 5xx;</li>
 * <li>no existence oracle: a path naming a real channel, case, envelope or bundle gets the same status and the same
 * body (with the name replaced) as one naming a made-up one.</li>
 * </ul>
 * A caller's own input echoed back (e.g. the path in a problem's {@code instance}) is not a leak; the oracle check is
 * what catches an echo that differs between real and made-up names.
 */
class PublicEndpointWalkTest {
    @TempDir Path tmp;

    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int calls;

    // Each marker has an ASCII tag (found however the text is escaped) and a non-ASCII part.
    static final String AMBER_TEXT = "walkmark-amber-a71 Фишинговая волна против сотрудников МИД";
    static final String STRICT_TEXT = "walkmark-strict-b52 双边严格保密的事件报告";
    static final String RED_TEXT = "walkmark-red-c93 Красная линия: 红色线路 только для cert-b";
    static final String SUMMARY = "walkmark-summary-d14 Поддельный налоговый портал";
    static final String ASKED = "walkmark-asked-e25 请暂停托管 198.51.100.23";
    static final String INLINE_INDICATOR = "inline-ioc-f36.walkmark.example";
    static final String UPLOADED_INDICATOR = "uploaded-ioc-g47.walkmark.example";
    static final String CH_AMBER = "walk-amber-ch-h58";
    static final String CH_STRICT = "walk-strict-ch-j69";
    static final String CH_RED = "walk-red-ch-k70";

    /** Per-message metadata as a JSON member or a metrics label: a message's TLP, kind or priority, or what it belongs to. */
    private static final Pattern METADATA = Pattern.compile(
            "\"?(tlp|kind|priority)\"?\\s*[:=]\\s*\"?(clear|green|amber\\+strict|amber|red|charter|notify|request|ack|answer|update|close|ping|pong"
                    + "|escalate|retract|flash|urgent|routine)\\b"
                    + "|\"?(channel|case|case_id|envelope|envelope_hash|sender|recipient)\"?\\s*[:=]", Pattern.CASE_INSENSITIVE);
    /** A metrics series labelled with one authenticated route rather than its group (API, TAXII, web pages). */
    private static final Pattern AUTHENTICATED_ROUTE_LABEL = Pattern.compile(
            "route=\"(/api/v1/(?!\\*\"|openapi\\.json\")[^\"]*|/taxii2/(?!\\*\")[^\"]*|/(cases|channels|ui)[^\"]*|/)\"");

    record Secret(String what, String value) {}

    record Call(String method, String path, byte[] body) {
        String describe() {
            return method + " " + path + (body == null ? "" : " (" + body.length + "-byte body)");
        }
    }

    record Answer(int status, String headers, byte[] body) {}

    @Test
    void noUnauthenticatedEndpointServesTrafficTextOrMetadata() throws Exception {
        try (HostileNetwork net = HostileNetwork.start(tmp)) {
            Traffic t = Traffic.create(net);
            List<String> findings = new ArrayList<>();
            for (NodeServer n : net.honest()) findings.addAll(walk(n, t));
            // the walk really walked: every route, with real names, and every entry bundle
            assertTrue(calls > 1000, "only " + calls + " calls");
            assertTrue(findings.isEmpty(), findings.size() + " leak(s):\n" + String.join("\n", findings));
        }
    }

    /** What the network holds, and every secret about it. */
    static final class Traffic {
        final List<String> channels = List.of(CH_AMBER, CH_STRICT, CH_RED);
        final List<String> cases = new ArrayList<>();
        final List<String> evidence = new ArrayList<>();
        final List<String> stixIds = new ArrayList<>();
        final List<Secret> secrets = new ArrayList<>();

        static Traffic create(HostileNetwork net) throws Exception {
            Traffic t = new Traffic();
            TestNodes.establish(TestNodes.charter(CH_AMBER, Tlp.AMBER, net.a, net.b, net.c), net.a, net.b, net.c);
            TestNodes.establish(TestNodes.charter(CH_STRICT, Tlp.AMBER_STRICT, net.a, net.b), net.a, net.b);
            TestNodes.establish(TestNodes.charter(CH_RED, Tlp.RED, net.a, net.b, net.c), net.a, net.b, net.c);

            HostileNetwork.send(net.a, CH_AMBER, Tlp.AMBER, AMBER_TEXT);
            HostileNetwork.send(net.b, CH_STRICT, Tlp.AMBER_STRICT, STRICT_TEXT);
            ObjectNode red = Json.object().put("kind", "notify").put("priority", "flash").put("tlp", "red");
            red.putObject("body").put("text", RED_TEXT).put("lang", "ru").putArray("recipients").add("cert-b.example");
            post(net.a, "/api/v1/channels/" + CH_RED + "/messages", red, 201);

            // a typed request carrying an inline STIX bundle
            ObjectNode inline = bundle(t, INLINE_INDICATOR, Tlp.AMBER);
            ObjectNode request = Json.object().put("kind", "request").put("priority", "flash").put("tlp", "amber");
            ObjectNode body = request.putObject("body").put("type", "mitigation").put("summary", SUMMARY).put("asked", ASKED).put("lang", "ru");
            body.set("stix", inline);
            String caseId = Json.parse(post(net.a, "/api/v1/channels/" + CH_AMBER + "/cases", request, 201)).path("id").asText();
            t.cases.add(caseId);
            t.evidence.add(Sha256.hex(io.parley.json.Jcs.canonicalize(inline)));

            // an uploaded bundle, referenced by hash in an answer-bearing update from the other side
            ObjectNode uploaded = bundle(t, UPLOADED_INDICATOR, Tlp.AMBER);
            String sha = Json.parse(post(net.b, "/api/v1/evidence", uploaded, 201)).path("sha256").asText();
            t.evidence.add(sha);
            assertTrue(TestNodes.eventually(15, () -> net.b.cases().timeline(caseId).isPresent()), "case reached cert-b");
            ObjectNode update = Json.object().put("text", "walkmark-update-m81 обновление");
            update.putArray("evidence").addObject().put("sha256", sha);
            post(net.b, "/api/v1/cases/" + caseId + "/update", Json.object().set("body", update), 200, 201);

            // a second case, opened the other way round in the strict channel
            ObjectNode notify = Json.object().put("kind", "notify").put("priority", "routine").put("tlp", "amber+strict");
            notify.putObject("body").put("summary", "walkmark-strictcase-n92 二号案件");
            t.cases.add(Json.parse(post(net.b, "/api/v1/channels/" + CH_STRICT + "/cases", notify, 201)).path("id").asText());

            // everything delivered where it goes, and logged everywhere
            Set<String> all = new LinkedHashSet<>();
            for (NodeServer n : net.honest()) for (String ch : t.channels) for (StoredEnvelope e : n.node().envelopes().inChannel(ch, 0, 10_000)) all.add(e.hash());
            for (String h : all) {
                for (NodeServer n : net.honest()) {
                    if (n.node().envelopes().byHash(h).isEmpty()) continue;
                    assertTrue(n.node().log().awaitIndex(h, Duration.ofSeconds(15)).isPresent(), h + " logged at " + n.node().origin());
                }
            }
            assertTrue(TestNodes.eventually(20, () -> net.c.cases().timeline(caseId).isPresent()), "case reached mfa-c");

            for (String s : List.of(AMBER_TEXT, STRICT_TEXT, RED_TEXT, SUMMARY, ASKED, "walkmark-update-m81 обновление", "walkmark-strictcase-n92 二号案件")) {
                t.marker(s);
            }
            t.secrets.add(new Secret("indicator", INLINE_INDICATOR));
            t.secrets.add(new Secret("indicator", UPLOADED_INDICATOR));
            t.channels.forEach(c -> t.secrets.add(new Secret("channel id", c)));
            t.channels.forEach(c -> t.secrets.add(new Secret("TAXII collection of a channel", CollectionIds.ofChannel(c))));
            t.cases.forEach(c -> t.secrets.add(new Secret("case id", c)));
            t.evidence.forEach(e -> t.secrets.add(new Secret("evidence hash", e)));
            t.stixIds.forEach(e -> t.secrets.add(new Secret("STIX id", e)));
            t.envelopes.addAll(all);
            for (String h : all) {
                byte[] raw = HexFormat.of().parseHex(h);
                t.secrets.add(new Secret("envelope hash", h));
                t.secrets.add(new Secret("envelope hash (base64)", Base64.getEncoder().encodeToString(raw)));
                t.secrets.add(new Secret("envelope hash (base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
            }
            return t;
        }

        final Set<String> envelopes = new LinkedHashSet<>();

        void marker(String text) {
            secrets.add(new Secret("marker text", text));
            int space = text.indexOf(' ');
            secrets.add(new Secret("marker tag", text.substring(0, space)));
            secrets.add(new Secret("marker text", text.substring(space + 1)));
        }

        private static ObjectNode bundle(Traffic t, String domain, Tlp tlp) {
            String id = "indicator--" + UUID.randomUUID();
            ObjectNode o = Json.object();
            o.put("type", "indicator").put("spec_version", "2.1").put("id", id)
                    .put("created", "2026-01-01T00:00:00.000Z").put("modified", "2026-01-02T00:00:00.000Z")
                    .put("name", "C2 " + domain).put("pattern", "[domain-name:value = '" + domain + "']").put("pattern_type", "stix")
                    .put("valid_from", "2026-01-01T00:00:00Z");
            o.putArray("indicator_types").add("malicious-activity");
            o.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(tlp));
            ObjectNode b = Json.object().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
            ArrayNode objects = b.putArray("objects");
            objects.add(o);
            t.stixIds.add(id);
            t.stixIds.add(b.get("id").asText());
            return b;
        }

        private static String post(NodeServer n, String path, ObjectNode body, int... ok) throws Exception {
            var res = TestNodes.post(n, path, Json.write(body));
            for (int s : ok) if (res.statusCode() == s) return res.body();
            throw new AssertionError("POST " + path + " at " + n.node().origin() + ": " + res.statusCode() + " " + res.body());
        }
    }

    // ---------------------------------------------------------------------------------------------------------- walk

    private List<String> walk(NodeServer n, Traffic t) throws Exception {
        List<String> findings = new ArrayList<>();
        String who = n.node().origin() + ": ";
        Set<String> bundleEntries = new LinkedHashSet<>();
        List<String> endpoints = n.http().endpoints();
        assertTrue(endpoints.contains("GET /log/tile/*") && endpoints.contains("GET /metrics") && endpoints.contains("GET /"),
                "the walk sees the whole surface: " + endpoints);
        for (String endpoint : endpoints) {
            int sp = endpoint.indexOf(' ');
            String method = endpoint.substring(0, sp);
            String route = endpoint.substring(sp + 1);
            for (Substitution s : substitutions(n, route, t)) {
                for (byte[] body : bodies(method)) {
                    Call call = new Call(method, s.path(), body);
                    Answer a = call(n, call);
                    if (a.status() >= 500) findings.add(who + call.describe() + " answered " + a.status());
                    findings.addAll(scan(who, call, s, a, t));
                    if (s.path().startsWith("/log/tile/entries/") && a.status() == 200) {
                        for (byte[] e : EntryBundle.decode(a.body())) {
                            if (e.length != 32) findings.add(who + call.describe() + " serves a " + e.length + "-byte entry, not a 32-byte commitment");
                            bundleEntries.add(HexFormat.of().formatHex(e));
                        }
                    }
                    if (s.fake() != null) {
                        Answer f = call(n, new Call(method, s.fake().path(), body));
                        String real = normalise(a, s.values());
                        String made = normalise(f, s.fake().values());
                        if (a.status() != f.status() || !real.equals(made)) {
                            // An oracle answers the same way every time; a transport hiccup (a connection the server
                            // chose to close under the suite's load) does not. Ask both again before calling it a leak.
                            a = call(n, new Call(method, s.path(), body));
                            findings.addAll(scan(who, call, s, a, t));
                            f = call(n, new Call(method, s.fake().path(), body));
                            real = normalise(a, s.values());
                            made = normalise(f, s.fake().values());
                        }
                        if (a.status() != f.status() || !real.equals(made)) {
                            findings.add(who + call.describe() + " tells a real " + s.names() + " from a made-up one: " + a.status() + " "
                                    + abbreviate(real) + " vs " + f.status() + " " + abbreviate(made) + "; they differ at " + difference(real, made));
                        }
                    }
                }
            }
        }
        findings.addAll(probeInbox(n, t));
        // the commitments: every envelope this node holds is an entry of its public log, by its hash alone
        for (String h : t.envelopes) {
            if (n.node().envelopes().byHash(h).isPresent() && !bundleEntries.contains(h)) {
                findings.add(who + "envelope " + h + " is stored but its commitment is not among the public log's entries");
            }
        }
        return findings;
    }

    /**
     * The inbox is public: envelopes authenticate themselves. An anonymous client that posts forged envelopes (no key
     * of anyone's) naming a real channel and a made-up one, from members, from a peer outside the channel and from a
     * stranger, must get the same refusal for each, or the refusal codes tell which channels exist and who is in them.
     */
    private List<String> probeInbox(NodeServer n, Traffic t) throws Exception {
        List<String> out = new ArrayList<>();
        String sig = Base64.getEncoder().encodeToString(new byte[64]);
        for (String channel : t.channels) {
            String fake = fakeLike(channel);
            for (String from : List.of("cert-a.example", "cert-b.example", "mfa-c.example", HostileNetwork.EVIL, "nobody.example")) {
                for (String kind : List.of("notify", "charter")) {
                    Answer[] answers = new Answer[2];
                    String[] names = {channel, fake};
                    for (int i = 0; i < 2; i++) {
                        ObjectNode e = Json.object().put("v", 1).put("channel", names[i]).put("from", from).put("seq", 1).put("kind", kind)
                                .put("created", "2026-01-01T00:00:00Z").put("priority", "routine").put("tlp", "green").put("sig", sig);
                        e.putObject("body");
                        answers[i] = call(n, new Call("POST", "/federation/v1/inbox", Json.write(e).getBytes(StandardCharsets.UTF_8)));
                    }
                    String real = normalise(answers[0], List.of(channel)), made = normalise(answers[1], List.of(fake));
                    if (answers[0].status() != answers[1].status() || !real.equals(made)) {
                        out.add(n.node().origin() + ": POST /federation/v1/inbox with a forged " + kind + " from " + from
                                + " tells real channel " + channel + " from a made-up one: " + answers[0].status() + " " + abbreviate(real)
                                + " vs " + answers[1].status() + " " + abbreviate(made));
                    }
                }
            }
        }
        return out;
    }

    private static List<byte[]> bodies(String method) {
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) return java.util.Collections.singletonList(null);
        return List.of(new byte[0], "{\"garbage\": [1, 2,".getBytes(StandardCharsets.UTF_8));
    }

    /** A concrete path for a route, the secret values it names, and the same path with made-up values. */
    record Substitution(String path, List<String> values, List<String> names, Substitution fake) {}

    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}|<([^>]+)>");

    private List<Substitution> substitutions(NodeServer n, String route, Traffic t) {
        List<Substitution> out = new ArrayList<>();
        if (route.equals("/log/tile/*")) {
            long size = n.node().log().latest().orElseThrow().size();
            Set<TileCoordinates> tiles = new LinkedHashSet<>(Tiles.changed(0, size));
            tiles.addAll(Tiles.changedEntryBundles(0, size));
            for (TileCoordinates c : tiles) out.add(new Substitution("/log/" + c.path(), List.of(), List.of(), null));
            out.add(new Substitution("/log/tile/entries/999.p/7", List.of(), List.of(), null));
            out.add(new Substitution("/log/tile/garbage", List.of(), List.of(), null));
            return out;
        }
        if (route.contains("*")) throw new AssertionError("the walk does not know how to fill route " + route + "; teach it");
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(route);
        while (m.find()) names.add(m.group(1) != null ? m.group(1) : m.group(2));
        if (names.isEmpty()) return List.of(new Substitution(route, List.of(), List.of(), null));
        List<List<String>> choices = new ArrayList<>();
        for (String name : names) choices.add(values(n, route, name, t));
        for (List<String> combo : product(choices)) {
            List<String> fakes = new ArrayList<>();
            for (int i = 0; i < combo.size(); i++) fakes.add(isSecret(combo.get(i), t) ? fakeLike(combo.get(i)) : combo.get(i));
            boolean anySecret = !fakes.equals(combo);
            Substitution fake = anySecret ? new Substitution(fill(route, fakes), fakes, names, null) : null;
            out.add(new Substitution(fill(route, combo), combo, names, fake));
        }
        return out;
    }

    private static List<String> values(NodeServer n, String route, String name, Traffic t) {
        List<String> envelopes = t.envelopes.stream().filter(h -> n.node().envelopes().byHash(h).isPresent()).limit(6).toList();
        return switch (name) {
            case "channel" -> t.channels;
            case "id" -> route.contains("/collections/") ? collections(n, t)
                    : route.contains("cases/") || route.startsWith("/cases") ? t.cases
                    : t.channels;
            case "hash" -> envelopes;
            case "sha256" -> t.evidence;
            case "object" -> t.stixIds;
            case "action" -> List.of("ack", "update", "answer", "close", "retract", "sign", "ping", "amend", "cases");
            case "origin" -> List.of("cert-a.example", "cert-b.example", "mfa-c.example", HostileNetwork.EVIL);
            case "username", "name" -> List.of(TestNodes.USER);
            case "status" -> List.of(UUID.randomUUID().toString());
            case "format" -> List.of("stix", "misp", "iodef"); // the web UI's evidence downloads
            case "file" -> { // a channel's MISP feed: its manifest, its hashes, and the event of each bundle
                List<String> files = new ArrayList<>(List.of("manifest.json", "hashes.csv"));
                t.evidence.forEach(sha -> files.add(io.parley.taxii.MispFeed.eventUuid(sha) + ".json"));
                yield files;
            }
            default -> throw new AssertionError("the walk does not know what to put in {" + name + "} of " + route + "; teach it");
        };
    }

    private static List<String> collections(NodeServer n, Traffic t) {
        List<String> out = new ArrayList<>(t.channels.stream().map(CollectionIds::ofChannel).toList());
        out.add(CollectionIds.own(n.node().origin()));
        return out;
    }

    private static boolean isSecret(String value, Traffic t) {
        return t.channels.contains(value) || t.cases.contains(value) || t.envelopes.contains(value) || t.evidence.contains(value)
                || t.stixIds.contains(value) || t.channels.stream().anyMatch(c -> CollectionIds.ofChannel(c).equals(value));
    }

    /** A made-up value of the same shape (length and alphabet), so answers can be compared byte for byte. */
    private static String fakeLike(String value) {
        if (value.matches("[0-9a-f]{64}")) return Sha256.hex(("made up " + value).getBytes(StandardCharsets.UTF_8));
        if (value.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) return UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8)).toString();
        int dash = value.indexOf("--");
        if (dash > 0) return value.substring(0, dash + 2) + UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder("zz");
        while (sb.length() < value.length()) sb.append('q');
        return sb.substring(0, Math.max(value.length(), 2));
    }

    private static String fill(String route, List<String> values) {
        Matcher m = PARAM.matcher(route);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(URLEncoder.encode(values.get(i++), StandardCharsets.UTF_8)));
        m.appendTail(sb);
        return sb.toString();
    }

    private static List<List<String>> product(List<List<String>> choices) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        for (List<String> options : choices) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String o : options) {
                    List<String> l = new ArrayList<>(prefix);
                    l.add(o);
                    next.add(l);
                }
            }
            out = next;
        }
        return out;
    }

    private Answer call(NodeServer n, Call c) throws Exception {
        calls++;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + c.path())).timeout(Duration.ofSeconds(30));
        if (c.body() == null) {
            b.method(c.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        }
        HttpResponse<byte[]> res = RAW.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        StringBuilder headers = new StringBuilder();
        res.headers().map().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("date")) headers.append(k).append(": ").append(String.join(", ", v)).append('\n');
        });
        return new Answer(res.statusCode(), headers.toString(), res.body());
    }

    /** Findings for one answer: secrets that the call did not itself send, and per-message metadata. */
    private static List<String> scan(String who, Call call, Substitution s, Answer a, Traffic t) {
        List<String> out = new ArrayList<>();
        String text = a.headers() + "\n" + new String(a.body(), StandardCharsets.UTF_8);
        String sent = call.path() + (call.body() == null ? "" : new String(call.body(), StandardCharsets.UTF_8));
        String decodedSent = java.net.URLDecoder.decode(call.path(), StandardCharsets.UTF_8);
        for (Secret secret : t.secrets) {
            if (!text.contains(secret.value())) continue;
            if (sent.contains(secret.value()) || decodedSent.contains(secret.value())) continue; // an echo of the caller's own input
            out.add(who + call.describe() + " serves a " + secret.what() + ": " + excerpt(text, secret.value()));
        }
        // binary envelope hashes: only as entries of entry bundles
        if (!call.path().startsWith("/log/tile/entries/")) {
            for (String h : t.envelopes) {
                if (indexOf(a.body(), HexFormat.of().parseHex(h)) >= 0) out.add(who + call.describe() + " serves envelope hash " + h + " in binary");
            }
        }
        boolean binary = call.path().startsWith("/log/tile/");
        if (!binary && !call.path().equals("/api/v1/openapi.json")) { // the API document is static: its schemas name these members
            Matcher m = METADATA.matcher(new String(a.body(), StandardCharsets.UTF_8));
            while (m.find()) out.add(who + call.describe() + " serves per-message metadata: " + m.group());
            Matcher r = AUTHENTICATED_ROUTE_LABEL.matcher(new String(a.body(), StandardCharsets.UTF_8));
            Set<String> labels = new LinkedHashSet<>();
            while (r.find()) labels.add(r.group());
            if (!labels.isEmpty()) out.add(who + call.describe() + " labels metrics with authenticated routes (kinds of activity): " + labels);
        }
        return out;
    }

    /** The answer with the substituted values replaced, for comparing a real name's answer with a made-up one's. */
    private static String normalise(Answer a, List<String> values) {
        String s = a.headers().replaceAll("(?im)^content-length:.*$", "") + "\n" + new String(a.body(), StandardCharsets.UTF_8);
        for (String v : values) {
            s = s.replace(v, "{}").replace(URLEncoder.encode(v, StandardCharsets.UTF_8), "{}");
        }
        return s;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Where two answers first part ways, with some context from each, so a finding says what differed. */
    private static String difference(String x, String y) {
        int i = 0;
        while (i < x.length() && i < y.length() && x.charAt(i) == y.charAt(i)) i++;
        int from = Math.max(0, i - 40);
        return "…" + x.substring(from, Math.min(x.length(), i + 80)).replace('\n', ' ') + "… vs …"
                + y.substring(from, Math.min(y.length(), i + 80)).replace('\n', ' ') + "…";
    }

    private static String excerpt(String text, String value) {
        int i = text.indexOf(value);
        return "…" + text.substring(Math.max(0, i - 60), Math.min(text.length(), i + value.length() + 60)).replace('\n', ' ') + "…";
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
