package io.parley.node;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.SignInThrottle;
import io.parley.federation.PeerRateLimits;
import io.parley.json.Json;

/**
 * The {@code throttle} object of parley.json: sign-in throttling and per-peer rate limits. Every key is optional and
 * defaults to the value in {@link SignInThrottle.Settings#DEFAULT} / {@link PeerRateLimits.Settings#DEFAULT}:
 * <pre>
 * "throttle": {
 *   "sign_in": {"pair_free": 5, "address_free": 20, "account_free": 10, "first_delay_seconds": 1,
 *               "max_delay_seconds": 900, "account_max_delay_seconds": 60, "forget_after_seconds": 86400,
 *               "max_tracked": 20000},
 *   "peers": {"per_second": 200, "burst": 10000, "max_tracked": 10000}
 * }
 * </pre>
 */
public record Throttling(SignInThrottle.Settings signIn, PeerRateLimits.Settings peers) {
    public static final Throttling DEFAULT = new Throttling(SignInThrottle.Settings.DEFAULT, PeerRateLimits.Settings.DEFAULT);

    /** Reads the object (absent or null: the defaults); a bad value is an IllegalArgumentException naming the key. */
    public static Throttling fromJson(JsonNode t) {
        if (t == null || t.isNull()) return DEFAULT;
        if (!t.isObject()) throw new IllegalArgumentException("throttle must be an object {sign_in, peers}");
        SignInThrottle.Settings d = SignInThrottle.Settings.DEFAULT;
        JsonNode s = section(t, "sign_in");
        SignInThrottle.Settings signIn = new SignInThrottle.Settings(
                (int) number(s, "sign_in", "pair_free", d.pairFree(), 1000),
                (int) number(s, "sign_in", "address_free", d.addressFree(), 100_000),
                (int) number(s, "sign_in", "account_free", d.accountFree(), 100_000),
                Duration.ofSeconds(number(s, "sign_in", "first_delay_seconds", d.firstDelay().toSeconds(), 3600)),
                Duration.ofSeconds(number(s, "sign_in", "max_delay_seconds", d.maxDelay().toSeconds(), 86_400)),
                Duration.ofSeconds(number(s, "sign_in", "account_max_delay_seconds", d.accountMaxDelay().toSeconds(), 86_400)),
                Duration.ofSeconds(number(s, "sign_in", "forget_after_seconds", d.forgetAfter().toSeconds(), 30L * 86_400)),
                number(s, "sign_in", "max_tracked", d.maxTracked(), 10_000_000));
        PeerRateLimits.Settings p = PeerRateLimits.Settings.DEFAULT;
        JsonNode q = section(t, "peers");
        PeerRateLimits.Settings peers = new PeerRateLimits.Settings(
                number(q, "peers", "per_second", p.perSecond(), 1_000_000),
                number(q, "peers", "burst", p.burst(), 100_000_000),
                number(q, "peers", "max_tracked", p.maxTracked(), 10_000_000));
        return new Throttling(signIn, peers);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.putObject("sign_in").put("pair_free", signIn.pairFree()).put("address_free", signIn.addressFree())
                .put("account_free", signIn.accountFree()).put("first_delay_seconds", signIn.firstDelay().toSeconds())
                .put("max_delay_seconds", signIn.maxDelay().toSeconds()).put("account_max_delay_seconds", signIn.accountMaxDelay().toSeconds())
                .put("forget_after_seconds", signIn.forgetAfter().toSeconds()).put("max_tracked", signIn.maxTracked());
        o.putObject("peers").put("per_second", peers.perSecond()).put("burst", peers.burst()).put("max_tracked", peers.maxTracked());
        return o;
    }

    private static JsonNode section(JsonNode t, String name) {
        JsonNode s = t.get(name);
        if (s == null || s.isNull()) return Json.object();
        if (!s.isObject()) throw new IllegalArgumentException("throttle." + name + " must be an object");
        return s;
    }

    private static long number(JsonNode section, String sectionName, String key, long dflt, long max) {
        JsonNode v = section.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > max) {
            throw new IllegalArgumentException("throttle." + sectionName + "." + key + " must be a whole number from 0 to " + max);
        }
        return v.asLong();
    }
}
