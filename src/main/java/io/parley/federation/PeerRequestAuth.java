package io.parley.federation;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;

/**
 * Authenticates node-to-node reads (catch-up) by an Ed25519 signature of the requesting party's log key over
 * {@code parley-request/v1\n<METHOD>\n<path?query>\n<origin>\n<time>\n}. Envelopes authenticate themselves; reads need
 * this so that a channel's envelopes go only to its members.
 */
public final class PeerRequestAuth {
    public static final String ORIGIN = "Parley-Origin";
    public static final String TIME = "Parley-Time";
    public static final String SIGNATURE = "Parley-Signature";
    /** How far a request's time may be from ours: bounds replay of a captured request. */
    public static final Duration SKEW = Duration.ofMinutes(5);

    private PeerRequestAuth() {}

    static byte[] message(String method, String pathAndQuery, String origin, String time) {
        return ("parley-request/v1\n" + method + "\n" + pathAndQuery + "\n" + origin + "\n" + time + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static HttpRequest.Builder sign(HttpRequest.Builder b, String method, String pathAndQuery, SigningKey key, Instant now) {
        String time = now.toString();
        byte[] sig = key.sign(message(method, pathAndQuery, key.name(), time));
        return b.header(ORIGIN, key.name()).header(TIME, time).header(SIGNATURE, Base64.getEncoder().encodeToString(sig));
    }

    /** The authenticated origin, or a reason why the request is not authenticated. */
    public sealed interface Outcome {
        record Authenticated(String origin) implements Outcome {}

        record Refused(String reason) implements Outcome {}
    }

    public static Outcome verify(String method, String pathAndQuery, String origin, String time, String signature,
                                 Function<String, Optional<VerifierKey>> keys, Instant now) {
        if (origin == null || time == null || signature == null) return new Outcome.Refused("missing " + ORIGIN + ", " + TIME + " or " + SIGNATURE + " header");
        Instant t;
        try {
            t = Instant.parse(time);
        } catch (DateTimeParseException e) {
            return new Outcome.Refused(TIME + " is not an RFC 3339 time");
        }
        if (Duration.between(t, now).abs().compareTo(SKEW) > 0) return new Outcome.Refused("request time is more than " + SKEW.toMinutes() + " minutes off");
        Optional<VerifierKey> key = keys.apply(origin);
        if (key.isEmpty()) return new Outcome.Refused(origin + " is not a known peer");
        byte[] sig = io.parley.identity.CanonicalBase64.decode(signature);
        if (sig == null) return new Outcome.Refused(SIGNATURE + " is not canonical base64");
        if (!key.get().verify(message(method, pathAndQuery, origin, time), sig)) return new Outcome.Refused("request signature does not verify");
        return new Outcome.Authenticated(origin);
    }
}
