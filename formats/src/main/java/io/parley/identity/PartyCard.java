package io.parley.identity;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * A party's signed self-description (DESIGN §1), served at {@code /.well-known/parley}. The signature covers the
 * RFC 8785 form of the card without {@code sig}, made with the key the card itself names, so a card proves
 * possession of its key; whether the key belongs to the party is what humans check by comparing fingerprints.
 *
 * <p>Key rotation: a card whose key replaced an earlier one names it in {@code previous_key} and carries
 * {@code rotation_sig}, the previous key's signature over {@link #rotationStatement}; a peer that knew the previous key
 * accepts the new one only if that signature verifies.
 *
 * <p>{@code witness_key} is the C2SP cosignature (type 0x04) verifier key the party witnesses peers' logs with. It is
 * a separate key because signed-note advises against using one key for different signature types.
 *
 * <p>{@code tls_cert_sha256} is the lower-case hex SHA-256 of the DER TLS certificate the node serves and presents as
 * a client; peers pin it with the key at {@code peer add} and, with mutual TLS, accept only that certificate.
 */
public record PartyCard(String origin, String displayName, String organisationKind, String country,
                        VerifierKey verifierKey, String baseUrl, List<Contact> contacts, String validFrom,
                        String validUntil, String previousKey, String rotationSig, String witnessKey, String tlsCertSha256, String sig) {

    /** A point of contact: who answers, how, when and in which languages. */
    public record Contact(String role, String name, String email, String phone, String hours, List<String> languages) {}

    public PartyCard {
        KeyNames.requireValid(origin);
        contacts = List.copyOf(contacts);
        if (!verifierKey.name().equals(origin)) {
            throw new IllegalArgumentException("the card's key is named " + verifierKey.name() + ", not " + origin);
        }
        if (tlsCertSha256 != null && !tlsCertSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("party card: tls_cert_sha256 must be 64 lower-case hex digits");
        }
    }

    public static PartyCard sign(PartyCard unsigned, SigningKey key) {
        if (!key.verifierKey().equals(unsigned.verifierKey())) throw new IllegalArgumentException("a card must be signed with the key it names");
        String sig = Base64.getEncoder().encodeToString(key.sign(Jcs.canonicalize(unsigned.unsignedJson())));
        return new PartyCard(unsigned.origin, unsigned.displayName, unsigned.organisationKind, unsigned.country,
                unsigned.verifierKey, unsigned.baseUrl, unsigned.contacts, unsigned.validFrom, unsigned.validUntil,
                unsigned.previousKey, unsigned.rotationSig, unsigned.witnessKey, unsigned.tlsCertSha256, sig);
    }

    /** True if the signature verifies under the card's own key. */
    public boolean verifies() {
        if (sig == null) return false;
        byte[] signature = CanonicalBase64.decode(sig);
        if (signature == null) return false;
        return verifierKey.verify(Jcs.canonicalize(unsignedJson()), signature);
    }

    /** What the previous key signs when handing over to {@code newKey}. */
    public static byte[] rotationStatement(String origin, VerifierKey newKey) {
        return ("parley-key-rotation/v1\n" + origin + "\n" + newKey.encoded() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** True if this card's key was handed over by {@code previous} (directly; chains are checked one step at a time). */
    public boolean rotatedFrom(VerifierKey previous) {
        if (previousKey == null || rotationSig == null || !previousKey.equals(previous.encoded())) return false;
        byte[] signature = CanonicalBase64.decode(rotationSig);
        return signature != null && previous.verify(rotationStatement(origin, verifierKey), signature);
    }

    public boolean validAt(Instant t) {
        return !t.isBefore(Instant.parse(validFrom)) && (validUntil == null || t.isBefore(Instant.parse(validUntil)));
    }

    public String fingerprint() {
        return verifierKey.fingerprint();
    }

    public ObjectNode toJson() {
        ObjectNode o = unsignedJson();
        if (sig != null) o.put("sig", sig);
        return o;
    }

    private ObjectNode unsignedJson() {
        ObjectNode o = Json.object();
        o.put("v", 1);
        o.put("origin", origin);
        o.put("display_name", displayName);
        o.put("organisation_kind", organisationKind);
        if (country != null) o.put("country", country);
        o.put("verifier_key", verifierKey.encoded());
        o.put("base_url", baseUrl);
        ArrayNode cs = o.putArray("contacts");
        for (Contact c : contacts) {
            ObjectNode co = cs.addObject();
            co.put("role", c.role());
            co.put("name", c.name());
            if (c.email() != null) co.put("email", c.email());
            if (c.phone() != null) co.put("phone", c.phone());
            if (c.hours() != null) co.put("hours", c.hours());
            ArrayNode langs = co.putArray("languages");
            c.languages().forEach(langs::add);
        }
        o.put("valid_from", validFrom);
        if (validUntil != null) o.put("valid_until", validUntil);
        if (previousKey != null) o.put("previous_key", previousKey);
        if (rotationSig != null) o.put("rotation_sig", rotationSig);
        if (witnessKey != null) o.put("witness_key", witnessKey);
        if (tlsCertSha256 != null) o.put("tls_cert_sha256", tlsCertSha256);
        return o;
    }

    /** Parses a card (signed or not); structural faults throw {@link IllegalArgumentException} naming the member. */
    public static PartyCard fromJson(JsonNode o) {
        if (o == null || !o.isObject()) throw new IllegalArgumentException("a party card must be a JSON object");
        if (o.path("v").asInt(0) != 1) throw new IllegalArgumentException("party card: v must be 1");
        List<Contact> contacts = new ArrayList<>();
        for (JsonNode c : o.path("contacts")) {
            List<String> langs = new ArrayList<>();
            c.path("languages").forEach(l -> langs.add(l.asText()));
            contacts.add(new Contact(req(c, "role"), req(c, "name"), opt(c, "email"), opt(c, "phone"), opt(c, "hours"), langs));
        }
        String validFrom = req(o, "valid_from");
        String validUntil = opt(o, "valid_until");
        checkTime(validFrom, "valid_from");
        if (validUntil != null) checkTime(validUntil, "valid_until");
        return new PartyCard(req(o, "origin"), req(o, "display_name"), req(o, "organisation_kind"), opt(o, "country"),
                VerifierKey.parse(req(o, "verifier_key")), req(o, "base_url"), contacts, validFrom, validUntil,
                opt(o, "previous_key"), opt(o, "rotation_sig"), opt(o, "witness_key"), opt(o, "tls_cert_sha256"), opt(o, "sig"));
    }

    private static void checkTime(String s, String name) {
        try {
            Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("party card: " + name + " must be an RFC 3339 UTC time");
        }
    }

    private static String req(JsonNode o, String name) {
        String v = opt(o, name);
        if (v == null) throw new IllegalArgumentException("party card: " + name + " is missing");
        return v;
    }

    private static String opt(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new IllegalArgumentException("party card: " + name + " must be a string");
        return v.textValue();
    }
}
