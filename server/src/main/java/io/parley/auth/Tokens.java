package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.parley.identity.Sha256;
import io.parley.store.TokenStore.Token;
import io.parley.store.TokenStore;
import io.parley.store.UserStore;

/**
 * Bearer tokens for the API, the CLI and TAXII: issued to an account, scoped ({@code read} or {@code write}, to
 * channels or {@code *}), expiring, revocable, stored as the SHA-256 of their secret only.
 *
 * <p>A token never holds more than its owner: each request is judged first on the owner's role and grants as they are
 * at that moment (a disabled owner is not found, so its tokens stop at once), then on the token's own limits
 * ({@link #scopeRefusal}, {@link #channelRefusal}). A token never issues tokens, manages accounts or grants TLP:RED:
 * those decide who may do or read what, and stay with a person signing in with a password.
 *
 * <p>The secret is 32 bytes from {@link SecureRandom}, so guessing one is hopeless whatever the request rate (2^256
 * candidates; a lookup is by hash, so no timing of a comparison tells anything either). It is written
 * {@value #PREFIX} + base64url, so secret scanners can recognise a leaked one.
 */
public final class Tokens {
    /** What every token this node issues starts with. */
    public static final String PREFIX = "parley_";
    /** Tokens of TAXII before scopes existed (migrated as read tokens with an expiry). */
    static final String LEGACY_PREFIX = "ptx_";
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);
    public static final String ALL_CHANNELS = Role.ALL_CHANNELS;
    public static final int MAX_CHANNELS = 64;
    public static final int MAX_LABEL = 200;
    /** Tokens that still work, per account: enough for every integration, and a bound on what one account can store. */
    public static final int MAX_LIVE_PER_ACCOUNT = 100;
    /** How long a revoked or expired token stays listed before it is forgotten (its audit records stay). */
    public static final Duration KEPT_AFTER_END = Duration.ofDays(30);
    /** A use is written to the database at most this often per token, so reading does not mean writing. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern PRESENTED = Pattern.compile("(parley_|ptx_)[A-Za-z0-9_-]{20,100}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,40}");
    /** Permissions that change who may do or read what: never exercised through a token. */
    private static final Set<Permission.Global> NEVER_BY_TOKEN = Set.of(Permission.Global.ISSUE_TOKENS,
            Permission.Global.MANAGE_USERS, Permission.Global.GRANT_RED);

    /** What a token may do at most; the owner's role and grants still apply. */
    public enum Scope {
        /** Only what {@link Permission.Global#READ} allows. */
        READ,
        /** What the owner may, restricted to the token's channels. */
        WRITE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Scope> parse(String s) {
            for (Scope v : values()) if (v.wire().equals(s)) return Optional.of(v);
            return Optional.empty();
        }
    }

    /** A request for a token that cannot be issued as asked; {@code field} names the JSON member at fault. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** An account already holds {@link #MAX_LIVE_PER_ACCOUNT} working tokens. */
    public static final class LimitReached extends IllegalStateException {
        LimitReached(String message) {
            super(message);
        }
    }

    /** A new token and its secret, which exists only here: the store keeps its hash. */
    public record Issued(Token token, String secret) {}

    /** The outcome of presenting a bearer secret. */
    public sealed interface Verdict {
        record Accepted(Token token, UserStore.User owner) implements Verdict {}

        /** {@code reason} is safe to tell the presenter: it holds the secret already. */
        record Refused(String reason) implements Verdict {}
    }

    private final TokenStore store;
    private final UserStore users;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Tokens(TokenStore store, UserStore users, Clock clock) {
        this.store = store;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Issues a token to {@code owner}. {@code channels} are channel ids or just {@code *}; {@code lifetime} is at most
     * {@link #MAX_LIFETIME}. The channels need not be granted to the owner now: what the token may do is decided at
     * each request, on the grants of that moment. Tokens that ended more than {@link #KEPT_AFTER_END} ago are
     * forgotten here, and an account holds at most {@link #MAX_LIVE_PER_ACCOUNT} working tokens, so that the table
     * stays bounded.
     */
    /** A lifetime asked for in whole days, refused outside 1 to 365 before any arithmetic can overflow. */
    public static Duration lifetimeInDays(long days) {
        if (days < 1 || days > MAX_LIFETIME.toDays()) {
            throw new Invalid("/expires_in_days", "a token lives between 1 day and " + MAX_LIFETIME.toDays() + " days");
        }
        return Duration.ofDays(days);
    }

    public Issued issue(String owner, String label, Scope scope, List<String> channels, Duration lifetime) {
        if (label == null || label.isBlank()) throw new Invalid("/label", "a token needs a label saying what it is for");
        if (label.length() > MAX_LABEL || label.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("/label", "a label is at most " + MAX_LABEL + " characters, without control characters");
        }
        if (channels.isEmpty()) throw new Invalid("/channels", "name at least one channel, or \"*\" for every channel");
        if (channels.size() > MAX_CHANNELS) throw new Invalid("/channels", "at most " + MAX_CHANNELS + " channels; use \"*\" for every channel");
        Set<String> set = new TreeSet<>(channels);
        if (set.contains(ALL_CHANNELS) && set.size() > 1) throw new Invalid("/channels", "\"*\" already covers every channel; name it alone");
        for (String c : set) {
            if (!c.equals(ALL_CHANNELS) && !CHANNEL.matcher(c).matches()) throw new Invalid("/channels", "not a channel id: '" + c + "'");
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new Invalid("/expires_in_days", "a token lives between 1 day and " + MAX_LIFETIME.toDays() + " days");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.purgeEndedBefore(now.minus(KEPT_AFTER_END));
        if (store.countLive(owner, now) >= MAX_LIVE_PER_ACCOUNT) {
            throw new LimitReached("account '" + owner + "' has " + MAX_LIVE_PER_ACCOUNT + " working tokens already; revoke some first");
        }
        for (int attempt = 0; ; attempt++) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            byte[] idBytes = new byte[6];
            random.nextBytes(idBytes);
            Token t = new Token(HexFormat.of().formatHex(idBytes), owner, label, scope.wire(), List.copyOf(set), now,
                    now.plus(lifetime), Optional.empty(), Optional.empty(), Optional.empty());
            if (store.insert(t, hash(secret))) return new Issued(t, secret);
            if (attempt == 3) throw new IllegalStateException("could not find a free token id");
        }
    }

    /** Who presents {@code secret}: its token and owner if it is known, unrevoked, unexpired and its owner enabled. */
    public Verdict authenticate(String secret) {
        if (secret == null || !PRESENTED.matcher(secret).matches()) {
            return new Verdict.Refused("a bearer token starts with " + PREFIX + " followed by 43 base64url characters");
        }
        Optional<Token> found = store.bySecretHash(hash(secret));
        if (found.isEmpty()) return new Verdict.Refused("unknown token");
        Token t = found.get();
        Instant now = clock.instant();
        if (t.revoked().isPresent()) return new Verdict.Refused("token " + t.id() + " was revoked");
        if (!now.isBefore(t.expires())) return new Verdict.Refused("token " + t.id() + " expired at " + t.expires());
        Optional<UserStore.User> owner = users.find(t.username());
        if (owner.isEmpty()) return new Verdict.Refused("the account owning token " + t.id() + " is disabled or gone");
        if (t.lastUsed().map(last -> last.plus(TOUCH_INTERVAL).isBefore(now)).orElse(true)) store.touch(t.id(), now);
        return new Verdict.Accepted(t, owner.get());
    }

    /**
     * Why token {@code t} may not exercise {@code p} whatever the channel, or empty if its scope allows it: a read
     * token only reads; no token issues tokens, manages accounts or grants RED; a token limited to channels holds no
     * node-wide permission but reading.
     */
    public static Optional<String> scopeRefusal(Token t, Permission p) {
        Optional<Scope> scope = Scope.parse(t.scope());
        if (scope.isEmpty()) return Optional.of("token " + t.id() + " has the unknown scope '" + t.scope() + "'");
        return switch (p) {
            case Permission.Public pub -> Optional.empty();
            case Permission.Global g when g == Permission.Global.READ -> Optional.empty();
            case Permission.Global g when NEVER_BY_TOKEN.contains(g) -> Optional.of("token " + t.id() + " may not "
                    + wire(g) + ": that needs the account itself, signed in with its password");
            case Permission.Global g when scope.get() == Scope.READ -> Optional.of(readOnly(t, g.name()));
            case Permission.Global g -> everyChannel(t) ? Optional.empty()
                    : Optional.of("token " + t.id() + " is limited to channels " + String.join(", ", t.channels())
                            + ", so it lacks the node-wide permission " + wire(g));
            case Permission.OnChannel on -> scope.get() == Scope.READ ? Optional.of(readOnly(t, "act on a channel")) : Optional.empty();
        };
    }

    /**
     * Why token {@code t} may not reach {@code channel}, or empty if it may; a null channel means a request that
     * reaches across channels, which only a {@code *} token makes.
     */
    public static Optional<String> channelRefusal(Token t, String channel) {
        if (everyChannel(t) || (channel != null && t.channels().contains(channel))) return Optional.empty();
        return Optional.of("token " + t.id() + " is limited to channels " + String.join(", ", t.channels())
                + (channel == null ? "; this request reaches across channels" : " and may not reach channel '" + channel + "'"));
    }

    public static boolean everyChannel(Token t) {
        return t.channels().contains(ALL_CHANNELS);
    }

    /** The tokens of {@code username}, or of every account when null. Never a secret or its hash. */
    public List<Token> list(String username) {
        return store.list(username);
    }

    public Optional<Token> find(String id) {
        return id != null && ID.matcher(id).matches() ? store.byId(id) : Optional.empty();
    }

    /** Revokes token {@code id}; false if it was revoked already. Takes effect on the next request. */
    public boolean revoke(String id, String by) {
        return store.revoke(id, clock.instant(), by);
    }

    /** The SHA-256 (hex) under which a secret is stored and looked up. */
    public static String hash(String secret) {
        return Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String readOnly(Token t, String what) {
        return "token " + t.id() + " is a read token and may not " + what.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String wire(Permission.Global g) {
        return g.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
