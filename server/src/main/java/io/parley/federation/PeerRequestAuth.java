package io.parley.federation;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.parley.identity.Sha256;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.store.NonceStore;

/**
 * Signed node-to-node requests (catch-up, evidence fetch) in the shape of RFC 9421 HTTP Message Signatures, so that a
 * request is good once, at one node, for exactly what it asks. Envelopes authenticate themselves; reads need this so
 * that a channel's envelopes and evidence go only to its members.
 *
 * <p>A request carries, under the label {@code parley}:
 * <pre>
 * Signature-Input: parley=("@method" "@authority" "@path" "@query" ["content-digest"]);created=S;expires=S;
 *                  nonce="N";keyid="ORIGIN";alg="ed25519";tag="parley-peer/v2"
 * Signature: parley=:BASE64(Ed25519 over the signature base):
 * Content-Digest: sha-256=:BASE64(SHA-256(body)):        (RFC 9530; only with a non-empty body, and then covered)
 * </pre>
 * The signature base is RFC 9421 §2.5's: one line {@code "<component>": <value>} per covered component, then
 * {@code "@signature-params": <the Signature-Input member value>}. The key is the signer's log key, found by
 * {@code keyid} among the keys we pinned for peers.
 *
 * <p>What each part stops:
 * <ul>
 * <li>{@code @authority}: the verifier puts <em>its own</em> authority (from its published base URL) into the base,
 * never the Host header the request arrived with, so a request signed for node B does not verify at node C.</li>
 * <li>{@code @method}, {@code @path}, {@code @query}, {@code content-digest}: no part of what is asked can change.</li>
 * <li>{@code created}/{@code expires}: the signer grants {@link #VALIDITY}; a verifier refuses a window longer than
 * {@link #MAX_VALIDITY}, a {@code created} more than {@link #SKEW} ahead of its clock, and anything past
 * {@code expires}.</li>
 * <li>{@code nonce}: admitted once per {@code keyid} by a unique key in the database ({@link NonceStore}), which
 * several instances share; recorded only after the signature verified, so strangers cannot fill the table, and kept
 * until {@code expires} plus {@link #SKEW} (clocks of instances may differ by that much).</li>
 * </ul>
 * Only the exact serialisation this class writes is accepted (component order, parameter order, canonical base64),
 * so one request has one signed form. Every refusal is the same to the caller; the reason goes to the log only.
 */
public final class PeerRequestAuth {
    public static final String SIGNATURE_INPUT = "Signature-Input";
    public static final String SIGNATURE = "Signature";
    public static final String CONTENT_DIGEST = "Content-Digest";
    static final String LABEL = "parley";
    static final String TAG = "parley-peer/v2";
    static final String ALG = "ed25519";
    /** How long a signer lets its request be used: long enough for a slow network, short enough to keep few nonces. */
    public static final Duration VALIDITY = Duration.ofSeconds(30);
    /** The longest window a verifier accepts, whatever the signer asked for. */
    public static final Duration MAX_VALIDITY = Duration.ofSeconds(60);
    /** How far ahead of our clock a signer's clock may be. */
    public static final Duration SKEW = Duration.ofSeconds(10);
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final List<String> COMPONENTS = List.of("@method", "@authority", "@path", "@query");
    private static final List<String> COMPONENTS_WITH_BODY = List.of("@method", "@authority", "@path", "@query", "content-digest");
    private static final Pattern INPUT = Pattern.compile(
            "parley=\\(((?:\"[a-z@-]+\"(?: \"[a-z@-]+\")*)?)\\);created=([0-9]{1,12});expires=([0-9]{1,12});nonce=\"([A-Za-z0-9_-]{16,64})\""
                    + ";keyid=\"([!#-\\[\\]-~]{1,253})\";alg=\"ed25519\";tag=\"parley-peer/v2\"");
    private static final Pattern SIGNATURE_VALUE = Pattern.compile("parley=:([A-Za-z0-9+/=]{1,200}):");
    private static final Pattern DIGEST_VALUE = Pattern.compile("sha-256=:([A-Za-z0-9+/=]{1,100}):");

    /**
     * The request as its verifier sees it. {@code authority} is the verifier's own; {@code path} and {@code query}
     * are raw (percent-encoded as sent); {@code query} is null or empty when there is none.
     */
    public record Request(String method, String authority, String path, String query, byte[] body) {
        public Request {
            body = body == null ? new byte[0] : body;
        }
    }

    /** The authenticated origin, or a reason (for our log, never for the caller) why the request is refused. */
    public sealed interface Outcome {
        record Authenticated(String origin) implements Outcome {}

        record Refused(String reason) implements Outcome {}
    }

    private final Function<String, Optional<VerifierKey>> pinnedKeys;
    private final NonceStore nonces;
    private final Supplier<String> ownAuthority;
    private final Clock clock;
    /** When the nonce table was last pruned (epoch ms); any instance prunes, at most once per {@link #PRUNE_EVERY}. */
    private final AtomicLong lastPrune = new AtomicLong();

    /**
     * A verifier for requests to this node: {@code pinnedKeys} maps a peer's origin to the log key we pinned for it,
     * {@code ownBaseUrl} gives the base URL peers use to reach us (its authority is what they must have signed).
     */
    public PeerRequestAuth(Function<String, Optional<VerifierKey>> pinnedKeys, NonceStore nonces, Supplier<String> ownBaseUrl, Clock clock) {
        this.pinnedKeys = pinnedKeys;
        this.nonces = nonces;
        this.ownAuthority = () -> authority(URI.create(ownBaseUrl.get()));
        this.clock = clock;
    }

    /** This node's authority as peers must sign it. */
    public String authority() {
        return ownAuthority.get();
    }

    // ---------------------------------------------------------------- signing

    /** Signs a request to {@code target} with {@code key} (our log key), adding the headers to {@code b}. */
    public static HttpRequest.Builder sign(HttpRequest.Builder b, String method, URI target, byte[] body, SigningKey key, Instant now) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Request r = new Request(method, authority(target), target.getRawPath(), target.getRawQuery(), body);
        long created = now.getEpochSecond();
        String params = params(r.body().length > 0 ? COMPONENTS_WITH_BODY : COMPONENTS, created, created + VALIDITY.toSeconds(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(nonce), key.name());
        String digest = r.body().length > 0 ? digest(r.body()) : null;
        byte[] signature = key.sign(base(r, digest, params));
        if (digest != null) b.header(CONTENT_DIGEST, digest);
        return b.header(SIGNATURE_INPUT, LABEL + "=" + params)
                .header(SIGNATURE, LABEL + "=:" + Base64.getEncoder().encodeToString(signature) + ":");
    }

    /** RFC 9421 §2.2.3: lowercase host, and the port unless it is the scheme's default. */
    static String authority(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || "http".equalsIgnoreCase(uri.getScheme()) && port == 80
                || "https".equalsIgnoreCase(uri.getScheme()) && port == 443;
        return defaultPort ? host : host + ":" + port;
    }

    private static String params(List<String> components, long created, long expires, String nonce, String keyid) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < components.size(); i++) s.append(i == 0 ? "" : " ").append('"').append(components.get(i)).append('"');
        return s.append(");created=").append(created).append(";expires=").append(expires).append(";nonce=\"").append(nonce)
                .append("\";keyid=\"").append(keyid).append("\";alg=\"").append(ALG).append("\";tag=\"").append(TAG).append('"').toString();
    }

    private static String digest(byte[] body) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(Sha256.hash(body)) + ":";
    }

    /** RFC 9421 §2.5 signature base for our fixed component list. */
    private static byte[] base(Request r, String contentDigest, String params) {
        StringBuilder s = new StringBuilder();
        s.append("\"@method\": ").append(r.method().toUpperCase(Locale.ROOT)).append('\n');
        s.append("\"@authority\": ").append(r.authority()).append('\n');
        s.append("\"@path\": ").append(r.path() == null || r.path().isEmpty() ? "/" : r.path()).append('\n');
        s.append("\"@query\": ?").append(r.query() == null ? "" : r.query()).append('\n');
        if (contentDigest != null) s.append("\"content-digest\": ").append(contentDigest).append('\n');
        s.append("\"@signature-params\": ").append(params);
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- verifying

    /**
     * Verifies a request that reached this node; {@code header} reads a request header (null if absent). The request's
     * authority is ignored: the signature must cover ours.
     */
    public Outcome verify(String method, String path, String query, byte[] body, Function<String, String> header) {
        Request r = new Request(method, authority(), path, query, body);
        String input = header.apply(SIGNATURE_INPUT);
        String signature = header.apply(SIGNATURE);
        if (input == null || signature == null) return refused("no " + SIGNATURE_INPUT + " or " + SIGNATURE + " header");
        Matcher in = INPUT.matcher(input.strip());
        if (!in.matches()) return refused(SIGNATURE_INPUT + " is not the one form this node accepts");
        String params = input.strip().substring(LABEL.length() + 1);
        boolean hasBody = r.body().length > 0;
        List<String> covered = in.group(1).isEmpty() ? List.of() : List.of(in.group(1).replace("\"", "").split(" "));
        if (!covered.equals(hasBody ? COMPONENTS_WITH_BODY : COMPONENTS)) {
            return refused("covered components " + covered + " are not " + (hasBody ? COMPONENTS_WITH_BODY : COMPONENTS));
        }
        long created = Long.parseLong(in.group(2));
        long expires = Long.parseLong(in.group(3));
        String nonce = in.group(4);
        String keyid = in.group(5);
        long now = clock.instant().getEpochSecond();
        if (expires <= created || expires - created > MAX_VALIDITY.toSeconds()) return refused("validity window " + created + ".." + expires + " is not allowed");
        if (created > now + SKEW.toSeconds()) return refused("created " + created + " is ahead of our clock " + now);
        if (now > expires) return refused("expired at " + expires + ", now " + now);
        String digest = null;
        if (hasBody) {
            digest = header.apply(CONTENT_DIGEST);
            Matcher d = digest == null ? null : DIGEST_VALUE.matcher(digest.strip());
            if (d == null || !d.matches()) return refused(CONTENT_DIGEST + " is missing or not sha-256");
            Optional<byte[]> claimed = canonicalBase64(d.group(1));
            if (claimed.isEmpty() || !MessageDigest.isEqual(claimed.get(), Sha256.hash(r.body()))) return refused(CONTENT_DIGEST + " does not match the body");
            digest = digest.strip();
        }
        Matcher sv = SIGNATURE_VALUE.matcher(signature.strip());
        if (!sv.matches()) return refused(SIGNATURE + " is not one labelled byte sequence");
        Optional<byte[]> sig = canonicalBase64(sv.group(1)).filter(s -> s.length == 64);
        if (sig.isEmpty()) return refused(SIGNATURE + " is not a canonical base64 Ed25519 signature");
        Optional<VerifierKey> key = pinnedKeys.apply(keyid);
        if (key.isEmpty()) return refused(keyid + " is not a pinned peer");
        if (!key.get().verify(base(r, digest, params), sig.get())) return refused("signature does not verify under the key pinned for " + keyid);
        pruneNowAndThen();
        if (!nonces.firstUse(keyid, nonce, Instant.ofEpochSecond(expires).plus(SKEW))) return refused("nonce of " + keyid + " already used: a replay");
        return new Outcome.Authenticated(keyid);
    }

    private void pruneNowAndThen() {
        long now = clock.millis();
        long last = lastPrune.get();
        if (now - last >= PRUNE_EVERY.toMillis() && lastPrune.compareAndSet(last, now)) nonces.prune(clock.instant());
    }

    /** Decodes base64 only in its one canonical form: what decodes must re-encode to the same text. */
    static Optional<byte[]> canonicalBase64(String text) {
        return Optional.ofNullable(io.parley.identity.CanonicalBase64.decode(text));
    }

    private static Outcome refused(String reason) {
        return new Outcome.Refused(reason);
    }
}
