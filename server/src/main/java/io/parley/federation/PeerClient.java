package io.parley.federation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

/** HTTP calls from this node to peers. Thread-safe; one shared client with keep-alive connections. */
public final class PeerClient {
    private final HttpClient http;
    private final SigningKey key;
    private final Clock clock;
    private final Duration timeout;

    public PeerClient(SigningKey key, Clock clock, Duration timeout) {
        this(key, clock, timeout, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** With {@code http} from {@link io.parley.node.Node#peerHttp}: our TLS client certificate and trust. */
    public PeerClient(SigningKey key, Clock clock, Duration timeout, HttpClient http) {
        this.key = key;
        this.clock = clock;
        this.timeout = timeout;
        this.http = http;
    }

    /**
     * A page of catch-up: envelopes (and withheld notices) in chain order and whether more follow. A page is bounded
     * the same on both sides: at most {@link #MAX_ITEMS} items, and the server stops adding items once the next would
     * take the page past {@link #MAX_BYTES} (a page holds at least one item, which may be a whole envelope of
     * {@link #MAX_PER_ENVELOPE}), so the reader takes at most {@link #MAX_ANSWER} bytes and a peer's page can hold at
     * most that much of our memory, however large its envelopes.
     */
    public record Page(List<JsonNode> envelopes, boolean more) {
        /** The most items a page holds, and what catch-up asks for: one page is then one acceptance batch. */
        public static final int MAX_ITEMS = 1000;
        /** The bytes of items after which a server ends its page; about 6,000 envelopes of a typical size. */
        public static final int MAX_BYTES = 4 << 20;
        /** What we read of a page at most: {@link #MAX_BYTES}, one item that crossed it, and the wrapper. */
        static final long MAX_ANSWER = MAX_BYTES + MAX_PER_ENVELOPE + 1024;
    }

    /** An inbox answer: a result (with a receipt of a few KiB at most) per envelope of a batch of at most 500. */
    static final long MAX_INBOX_ANSWER = 8L * 1024 * 1024;
    /** A party card is a few KiB. */
    static final long MAX_CARD = 256L * 1024;
    /** Per envelope of a catch-up page: an envelope is at most 64 KiB canonical; JSON as served adds a little. */
    static final long MAX_PER_ENVELOPE = 80L * 1024;

    private HttpResponse<byte[]> send(HttpRequest req, long max) throws IOException, InterruptedException {
        return CappedResponses.send(http, req, max, timeout.multipliedBy(3));
    }

    /**
     * Posts a batch of canonical envelopes to the peer's inbox; returns one result per envelope. Throws on anything
     * but a well-formed batch answer (network error, timeout, 5xx), which the caller treats as the line being down.
     */
    public List<JsonNode> deliver(String baseUrl, List<String> canonicalEnvelopes) throws IOException, InterruptedException {
        byte[] body = ("{\"envelopes\":[" + String.join(",", canonicalEnvelopes) + "]}").getBytes(StandardCharsets.UTF_8);
        URI target = URI.create(baseUrl + "/federation/v1/inbox");
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        // Signed (RFC 9421) although the inbox takes unsigned posts: the recipient then counts our deliveries against
        // our own rate limit, not against whoever shares our address.
        HttpResponse<byte[]> res = send(PeerRequestAuth.sign(b, "POST", target, body, key, clock.instant()).build(), MAX_INBOX_ANSWER);
        RateLimited.check(res, clock.instant());
        if (res.statusCode() != 200) throw new IOException("inbox answered HTTP " + res.statusCode() + ": " + abbreviate(CappedResponses.text(res)));
        JsonNode results = parse(res.body()).path("results");
        if (!results.isArray() || results.size() != canonicalEnvelopes.size()) throw new IOException("inbox answer has no result per envelope");
        List<JsonNode> out = new ArrayList<>();
        results.forEach(out::add);
        return out;
    }

    /**
     * Asks {@code baseUrl} for {@code from}'s chain in {@code channel} after seq {@code after}, at most {@code limit}
     * items; an answer past {@link Page#MAX_ANSWER} bytes fails like a dead line.
     */
    public Page catchUp(String baseUrl, String channel, String from, long after, int limit) throws IOException, InterruptedException {
        String path = "/federation/v1/channels/" + enc(channel) + "/envelopes?from=" + enc(from) + "&after=" + after + "&limit=" + limit;
        URI target = URI.create(baseUrl + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout).GET();
        HttpResponse<byte[]> res = send(PeerRequestAuth.sign(b, "GET", target, new byte[0], key, clock.instant()).build(), Page.MAX_ANSWER);
        RateLimited.check(res, clock.instant());
        if (res.statusCode() != 200) throw new IOException("catch-up answered HTTP " + res.statusCode() + ": " + abbreviate(CappedResponses.text(res)));
        JsonNode body = parse(res.body());
        List<JsonNode> envelopes = new ArrayList<>();
        body.path("envelopes").forEach(envelopes::add);
        if (envelopes.size() > limit) throw new IOException("catch-up answered " + envelopes.size() + " items, more than the " + limit + " asked for");
        return new Page(envelopes, body.path("more").asBoolean(false));
    }

    /**
     * The peer answered 429: it is over its rate limit for us, not refusing anything. The caller waits
     * {@link #retryAfter} and sends the same again; nothing is dropped.
     */
    public static final class RateLimited extends IOException {
        /** Bounds on a peer's Retry-After: at least a second, never so long that a line stays idle for hours. */
        static final Duration MIN = Duration.ofSeconds(1), MAX = Duration.ofMinutes(15);
        private final Duration retryAfter;

        public RateLimited(Duration retryAfter) {
            super("rate limited; retry after " + retryAfter.toSeconds() + " s", null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        /** Throws if {@code res} is a 429 (an HTTP-date in its Retry-After is read against {@code now}). */
        public static void check(HttpResponse<?> res, java.time.Instant now) throws RateLimited {
            if (res.statusCode() == 429) throw new RateLimited(parse(res.headers().firstValue("Retry-After").orElse(null), now));
        }

        /**
         * Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3) after {@code now}, within
         * {@link #MIN}..{@link #MAX}; MIN if absent or unreadable.
         */
        public static Duration parse(String value, java.time.Instant now) {
            Duration d = MIN;
            if (value != null) {
                String v = value.strip();
                try {
                    if (v.matches("\\d{1,9}")) {
                        d = Duration.ofSeconds(Long.parseLong(v));
                    } else {
                        var at = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                        d = Duration.between(now, at);
                    }
                } catch (java.time.DateTimeException e) {
                    d = MIN;
                }
            }
            return d.compareTo(MIN) < 0 ? MIN : d.compareTo(MAX) > 0 ? MAX : d;
        }
    }

    /** Fetches and checks a party card (self-signature); whether to trust its key is the caller's decision. */
    public PartyCard card(String baseUrl) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/.well-known/parley")).timeout(timeout).GET().build();
        HttpResponse<byte[]> res;
        try {
            res = send(req, MAX_CARD);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + baseUrl);
        }
        if (res.statusCode() != 200) throw new IOException(baseUrl + "/.well-known/parley answered HTTP " + res.statusCode());
        PartyCard card;
        try {
            card = PartyCard.fromJson(parse(res.body()));
        } catch (IllegalArgumentException e) {
            throw new IOException("the party card at " + baseUrl + " is not valid: " + e.getMessage());
        }
        if (!card.verifies()) throw new IOException("the party card at " + baseUrl + " is not signed by the key it names");
        return card;
    }

    private static JsonNode parse(byte[] body) throws IOException {
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IOException("answer is not JSON");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
