package io.parley.envelope;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.CanonicalBase64;
import io.parley.identity.KeyNames;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * A message envelope (DESIGN §2). {@code created} is kept as the exact string that was signed, because re-formatting
 * an {@link Instant} could change the signed bytes; {@code sig} is null on an unsigned draft.
 *
 * <p>Immutable, body included: the envelope keeps its own copy of the body it is given, and {@link #body()} and
 * {@link #toJson()} hand out copies, so nothing done to what they return can change what was signed, the envelope's
 * hash or whether its signature verifies. Jackson has no read-only tree, hence copies; a body is small next to the
 * Ed25519 work on it (measured by {@code EnvelopeBench}).
 */
public record Envelope(int v, String channel, String from, long seq, String prev, Kind kind, String caseId,
                       String created, Priority priority, Tlp tlp, ObjectNode body, String sig) {

    public static final int VERSION = 1;
    private static final Set<String> MEMBERS = Set.of("v", "channel", "from", "seq", "prev", "kind", "case", "created",
            "priority", "tlp", "body", "sig");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RFC3339_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final int MAX_ID_LENGTH = 200;

    public Envelope {
        check(v == VERSION, "/v", "v must be " + VERSION);
        checkId(channel, "/channel");
        check(from != null && KeyNames.isValid(from) && from.length() <= MAX_ID_LENGTH, "/from", "from must be a party origin (no spaces or '+')");
        check(seq >= 1, "/seq", "seq must be a positive integer");
        if (seq == 1) {
            check(prev == null, "/prev", "prev must be absent when seq is 1");
        } else {
            check(prev != null && HEX_HASH.matcher(prev).matches(), "/prev", "prev must be the lowercase hex SHA-256 of the sender's previous envelope");
        }
        check(kind != null, "/kind", "kind is missing");
        if (caseId != null) checkId(caseId, "/case");
        check(created != null && RFC3339_UTC.matcher(created).matches() && parses(created), "/created", "created must be an RFC 3339 UTC time such as 2026-01-02T03:04:05Z");
        check(priority != null, "/priority", "priority is missing");
        check(tlp != null, "/tlp", "tlp is missing");
        check(body != null, "/body", "body must be a JSON object");
        body = body.deepCopy();
        if (sig != null) check(CanonicalBase64.signature(sig) != null, "/sig", "sig must be the canonical base64 (standard alphabet, padded, zero trailing bits) of a 64-byte Ed25519 signature");
    }

    /** A copy of the body: change it freely, the envelope keeps what was signed. */
    @Override
    public ObjectNode body() {
        return body.deepCopy();
    }

    /** The instant the sender says it created the envelope. */
    public Instant createdAt() {
        return Instant.parse(created);
    }

    public boolean signed() {
        return sig != null;
    }

    public Envelope withSig(String signature) {
        return new Envelope(v, channel, from, seq, prev, kind, caseId, created, priority, tlp, body, signature);
    }

    /** The JSON members in wire form, a copy; {@code sig} only when signed. */
    public ObjectNode toJson() {
        ObjectNode o = unsignedJson();
        o.set("body", body.deepCopy());
        if (sig != null) o.put("sig", sig);
        return o;
    }

    /** The members but {@code sig}, holding this envelope's own body: only to be canonicalized, never handed out. */
    private ObjectNode unsignedJson() {
        ObjectNode o = Json.object();
        o.put("v", v);
        o.put("channel", channel);
        o.put("from", from);
        o.put("seq", seq);
        if (prev != null) o.put("prev", prev);
        o.put("kind", kind.wire());
        if (caseId != null) o.put("case", caseId);
        o.put("created", created);
        o.put("priority", priority.wire());
        o.put("tlp", tlp.wire());
        o.set("body", body);
        return o;
    }

    /** The bytes the sender signs: JCS of the envelope without {@code sig}. */
    public byte[] signingBytes() {
        return Jcs.canonicalize(unsignedJson());
    }

    /** JCS of the whole envelope including {@code sig}: what is stored, logged and hashed. */
    public byte[] canonicalBytes() {
        if (sig == null) throw new IllegalStateException("an unsigned draft has no canonical form");
        return Jcs.canonicalize(unsignedJson().put("sig", sig));
    }

    /** The envelope id: lowercase hex SHA-256 of {@link #canonicalBytes()}. */
    public String hash() {
        return HexFormat.of().formatHex(Sha256.hash(canonicalBytes()));
    }

    /** The signature; {@code sig} is canonical base64 of 64 bytes (checked on construction), so this never fails. */
    public byte[] signatureBytes() {
        return CanonicalBase64.decode(sig);
    }

    /** Parses the wire JSON of a signed envelope; throws {@link EnvelopeFormatException} naming the bad member. */
    public static Envelope fromJson(JsonNode node) {
        if (node == null || !node.isObject()) throw new EnvelopeFormatException("", "an envelope must be a JSON object");
        try {
            // Signing and hashing canonicalize later; find input with no canonical form (a lone surrogate, 1e400, a
            // huge integer) here, where it is still the sender's malformed envelope and not our failure.
            Jcs.canonicalize(node);
        } catch (io.parley.json.JcsException ex) {
            throw new EnvelopeFormatException("", "the envelope has no RFC 8785 canonical form: " + ex.getMessage());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) throw new EnvelopeFormatException("/" + name, "unknown envelope member '" + name + "'");
        }
        JsonNode vNode = required(node, "v");
        check(vNode.isIntegralNumber() && vNode.canConvertToInt(), "/v", "v must be an integer");
        JsonNode seqNode = required(node, "seq");
        check(seqNode.isIntegralNumber() && seqNode.canConvertToLong(), "/seq", "seq must be an integer");
        JsonNode body = required(node, "body");
        check(body.isObject(), "/body", "body must be a JSON object");
        String kind = text(node, "kind", true);
        String priority = text(node, "priority", true);
        String tlp = text(node, "tlp", true);
        return new Envelope(vNode.intValue(), text(node, "channel", true), text(node, "from", true), seqNode.longValue(),
                text(node, "prev", false),
                Kind.fromWire(kind).orElseThrow(() -> new EnvelopeFormatException("/kind", "unknown kind '" + kind + "'")),
                text(node, "case", false), text(node, "created", true),
                Priority.fromWire(priority).orElseThrow(() -> new EnvelopeFormatException("/priority", "priority must be flash, urgent or routine")),
                Tlp.fromWire(tlp).orElseThrow(() -> new EnvelopeFormatException("/tlp", "tlp must be clear, green, amber, amber+strict or red")),
                (ObjectNode) body, text(node, "sig", true));
    }

    private static JsonNode required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) throw new EnvelopeFormatException("/" + name, name + " is missing");
        return value;
    }

    private static String text(JsonNode node, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) throw new EnvelopeFormatException("/" + name, name + " is missing");
            return null;
        }
        if (!value.isTextual()) throw new EnvelopeFormatException("/" + name, name + " must be a string");
        return value.textValue();
    }

    private static void checkId(String id, String field) {
        check(id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH && KeyNames.isValid(id), field,
                field.substring(1) + " must be a non-empty identifier without spaces or '+', at most " + MAX_ID_LENGTH + " characters");
    }

    private static boolean parses(String time) {
        try {
            Instant.parse(time);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * Only the canonical spelling: the envelope id hashes {@code sig} as text, so a second spelling of one signature
     * would be a second envelope, and a re-encoded copy of a genuine envelope would look like the sender's
     * equivocation.
     */
    private static void check(boolean ok, String field, String message) {
        if (!ok) throw new EnvelopeFormatException(field, message);
    }
}
