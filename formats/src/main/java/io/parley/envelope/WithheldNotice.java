package io.parley.envelope;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.KeyNames;
import io.parley.identity.Sha256;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * What a member that is not a named recipient of a TLP:RED envelope receives instead of it: the sender's signed
 * statement that its envelope {@code seq} in {@code channel}, with {@code prev} and {@code hash}, exists and is
 * withheld from us. It carries the chain link and nothing of the message: no body, no kind, no case.
 *
 * <p>Wire form: {@code {"notice":"withheld","v":1,"channel":…,"from":…,"seq":…,"prev":…,"hash":…,"created":…,
 * "tlp":"red","recipients":[…],"sig":…}}. The signature covers {@link #CONTEXT} followed by the RFC 8785 form of the
 * notice without {@code sig}. An envelope's signed bytes are a JSON object and so begin with '{'; a notice's signed
 * bytes begin with the context string, so neither signature can ever be passed off as the other.
 *
 * <p>A notice is the sender's commitment: two different validly signed notices, or a notice and an envelope, for one
 * (channel, from, seq) are equivocation exactly like two envelopes.
 */
public record WithheldNotice(String channel, String from, long seq, String prev, String hash, String created,
                             List<String> recipients, String sig) {
    public static final String NOTICE = "withheld";
    public static final int VERSION = 1;
    /** The signing context: never the first byte of a JSON object. */
    public static final String CONTEXT = "parley withheld-notice v1\n";
    private static final Set<String> MEMBERS = Set.of("notice", "v", "channel", "from", "seq", "prev", "hash", "created", "tlp",
            "recipients", "sig");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RFC3339_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final int MAX_RECIPIENTS = 1000;

    public WithheldNotice {
        check(channel != null && KeyNames.isValid(channel) && !channel.isEmpty() && channel.length() <= 200, "/channel", "channel must be a channel id");
        check(from != null && KeyNames.isValid(from) && from.length() <= 200, "/from", "from must be a party origin");
        check(seq >= 1, "/seq", "seq must be a positive integer");
        if (seq == 1) check(prev == null, "/prev", "prev must be absent when seq is 1");
        else check(prev != null && HEX_HASH.matcher(prev).matches(), "/prev", "prev must be the lowercase hex SHA-256 of the sender's previous envelope");
        check(hash != null && HEX_HASH.matcher(hash).matches(), "/hash", "hash must be the lowercase hex SHA-256 of the withheld envelope");
        check(created != null && RFC3339_UTC.matcher(created).matches(), "/created", "created must be an RFC 3339 UTC time");
        check(recipients != null && !recipients.isEmpty() && recipients.size() <= MAX_RECIPIENTS, "/recipients", "recipients must name at least one party");
        TreeSet<String> sorted = new TreeSet<>(recipients);
        check(sorted.size() == recipients.size() && List.copyOf(sorted).equals(recipients), "/recipients",
                "recipients must be sorted and without duplicates");
        recipients = List.copyOf(recipients);
        if (sig != null) check(io.parley.identity.CanonicalBase64.signature(sig) != null, "/sig", "sig must be the canonical base64 of a 64-byte Ed25519 signature");
    }

    /** The notice a sender issues for its own RED envelope {@code e}, unsigned. */
    public static WithheldNotice of(Envelope e, String hash, Set<String> recipients) {
        if (e.tlp() != Tlp.RED) throw new IllegalArgumentException("only a TLP:RED envelope is withheld");
        return new WithheldNotice(e.channel(), e.from(), e.seq(), e.prev(), hash, e.created(), List.copyOf(new TreeSet<>(recipients)), null);
    }

    public WithheldNotice sign(SigningKey key) {
        if (!from.equals(key.name())) throw new IllegalArgumentException("the notice is from " + from + " but the key belongs to " + key.name());
        return new WithheldNotice(channel, from, seq, prev, hash, created, recipients,
                io.parley.identity.CanonicalBase64.encode(key.sign(signingBytes())));
    }

    public boolean verify(VerifierKey key) {
        return sig != null && key.verify(signingBytes(), io.parley.identity.CanonicalBase64.decode(sig));
    }

    /** The bytes the sender signs: the context string, then JCS of the notice without {@code sig}. */
    public byte[] signingBytes() {
        byte[] context = CONTEXT.getBytes(StandardCharsets.UTF_8);
        byte[] body = Jcs.canonicalize(unsignedJson());
        byte[] out = new byte[context.length + body.length];
        System.arraycopy(context, 0, out, 0, context.length);
        System.arraycopy(body, 0, out, context.length, body.length);
        return out;
    }

    /** The 32 bytes of the withheld envelope's hash: what a non-recipient commits to in its log. */
    public byte[] hashBytes() {
        return java.util.HexFormat.of().parseHex(hash);
    }

    /** JCS of the whole notice with {@code sig}: what is stored and served. */
    public String canonical() {
        if (sig == null) throw new IllegalStateException("an unsigned notice has no canonical form");
        return new String(Jcs.canonicalize(toJson()), StandardCharsets.UTF_8);
    }

    /** The notice's own identity (SHA-256 of its canonical form), distinct from the withheld envelope's hash. */
    public String noticeHash() {
        return Sha256.hex(canonical().getBytes(StandardCharsets.UTF_8));
    }

    public ObjectNode toJson() {
        ObjectNode o = unsignedJson();
        if (sig != null) o.put("sig", sig);
        return o;
    }

    private ObjectNode unsignedJson() {
        ObjectNode o = Json.object();
        o.put("notice", NOTICE);
        o.put("v", VERSION);
        o.put("channel", channel);
        o.put("from", from);
        o.put("seq", seq);
        if (prev != null) o.put("prev", prev);
        o.put("hash", hash);
        o.put("created", created);
        o.put("tlp", Tlp.RED.wire());
        ArrayNode r = o.putArray("recipients");
        recipients.forEach(r::add);
        return o;
    }

    /** True when {@code json} claims to be a notice (and must then be judged as one, never as an envelope). */
    public static boolean isNotice(JsonNode json) {
        return json != null && json.isObject() && json.has("notice");
    }

    /** Parses a signed notice; throws {@link EnvelopeFormatException} naming the bad member. */
    public static WithheldNotice fromJson(JsonNode node) {
        if (node == null || !node.isObject()) throw new EnvelopeFormatException("", "a notice must be a JSON object");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) throw new EnvelopeFormatException("/" + name, "unknown notice member '" + name + "'");
        }
        check(NOTICE.equals(text(node, "notice", true)), "/notice", "notice must be \"withheld\"");
        JsonNode v = node.get("v");
        check(v != null && v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == VERSION, "/v", "v must be " + VERSION);
        check(Tlp.RED.wire().equals(text(node, "tlp", true)), "/tlp", "only a TLP:RED envelope is withheld");
        JsonNode seq = node.get("seq");
        check(seq != null && seq.isIntegralNumber() && seq.canConvertToLong(), "/seq", "seq must be an integer");
        JsonNode rs = node.get("recipients");
        check(rs != null && rs.isArray(), "/recipients", "recipients must be an array of party origins");
        List<String> recipients = new java.util.ArrayList<>();
        for (JsonNode r : rs) {
            check(r.isTextual() && KeyNames.isValid(r.textValue()), "/recipients", "recipients must be party origins");
            recipients.add(r.textValue());
        }
        return new WithheldNotice(text(node, "channel", true), text(node, "from", true), seq.longValue(), text(node, "prev", false),
                text(node, "hash", true), text(node, "created", true), recipients, text(node, "sig", true));
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

    private static void check(boolean ok, String field, String message) {
        if (!ok) throw new EnvelopeFormatException(field, message);
    }
}
