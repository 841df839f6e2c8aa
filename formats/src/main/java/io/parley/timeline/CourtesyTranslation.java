package io.parley.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;

/**
 * A courtesy translation of a case message's free text: a member's own signed {@code update} of the case, shown next
 * to the original and never instead of it. The original, in its sender's words and language, stays authoritative;
 * the translation is its translator's word (attributed to the envelope's signer, never to the original's author).
 * Pure, like {@link CaseTimeline}: the node, the case JSON, the bundle and the offline verifier read the same
 * translations from the same envelopes.
 *
 * <p>Wire: an {@code update} whose body is {@code {"translation": {"of": <hash of the translated envelope>, "lang":
 * <BCP 47 tag>, "text": <the translation>}}}, plus {@code recipients} in a TLP:RED case, and nothing else (a member
 * such as {@code "by"} naming another translator makes it ill-formed). {@link #read} checks that shape: a node applies
 * it before signing its own and at the inbox to a peer's, and the timeline again.
 *
 * <p>A well-formed translation counts ({@link #of}) only if the envelope it names is a message of the same case and
 * channel with free text ({@link #FREE_TEXT}), its language differs from the original's {@code lang} (primary
 * subtags compared, so {@code en-GB} is no translation of {@code en}), it is marked at least as strictly as the
 * original (a TLP:GREEN translation of an AMBER text would hand it to readers the original is kept from), and, for a
 * TLP:RED original, its translator is the original's sender or one of the recipients it names (no one else held the
 * text). One that does not count stays on record and is shown nowhere. A translation is no response to the case:
 * translating a request neither acknowledges nor answers it ({@link CaseTimeline}, {@link Silence}). Any number of
 * translations per original may count, each by its own translator.
 */
public record CourtesyTranslation(String hash, String of, String by, Instant at, String lang, String text) {

    /** The body member that makes an update a courtesy translation. */
    public static final String MEMBER = "translation";
    /** The body members whose text a translation renders: the message's free text, as its sender wrote it. */
    public static final List<String> FREE_TEXT = List.of("summary", "asked", "text", "reason", "legal_basis");
    /** As long as a joint statement's text. */
    public static final int MAX_TEXT = JointStatement.MAX_TEXT;
    private static final int MAX_LANG = 35;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> BODY_MEMBERS = Set.of(MEMBER, "recipients");
    private static final Set<String> TRANSLATION_MEMBERS = Set.of("of", "lang", "text");

    /** Whether {@code e} is meant as a courtesy translation (well formed or not): its body has the reserved member. */
    public static boolean isTranslation(Envelope e) {
        return e.body().has(MEMBER);
    }

    /** Whether {@code tag} is a well-formed BCP 47 language tag (RFC 5646), as the JDK's locale builder reads one. */
    public static boolean validLang(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > MAX_LANG) return false;
        try {
            new Locale.Builder().setLanguageTag(tag);
            return true;
        } catch (IllformedLocaleException e) {
            return false;
        }
    }

    /**
     * The translation {@code e} (whose hash is {@code hash}) carries, if well formed: an {@code update} of a case whose
     * body holds {@code translation {of, lang, text}} and at most {@code recipients} besides.
     *
     * @throws EnvelopeFormatException naming the member at fault
     */
    public static CourtesyTranslation read(Envelope e, String hash) {
        JsonNode t = checkShape(e.kind(), e.caseId(), e.body());
        return new CourtesyTranslation(hash, t.get("of").textValue(), e.from(), e.createdAt(), t.get("lang").textValue(), t.get("text").textValue());
    }

    /**
     * The shape rule of {@link #read} on an envelope's kind, case id and body, for a node to check what it is about to
     * sign; returns the body's translation object.
     *
     * @throws EnvelopeFormatException naming the member at fault
     */
    public static JsonNode checkShape(Kind kind, String caseId, JsonNode body) {
        JsonNode t = body.get(MEMBER);
        if (kind != Kind.UPDATE) throw new EnvelopeFormatException("/kind", "a courtesy translation is an update, not " + kind.wire());
        if (caseId == null) throw new EnvelopeFormatException("/case", "a courtesy translation belongs to the case of the message it translates");
        if (t == null || !t.isObject()) throw new EnvelopeFormatException("/body/" + MEMBER, "must be an object {of, lang, text}");
        body.fieldNames().forEachRemaining(n -> {
            if (!BODY_MEMBERS.contains(n)) {
                throw new EnvelopeFormatException("/body/" + n, "a courtesy translation carries nothing but the translation (and a RED case's recipients)");
            }
        });
        t.fieldNames().forEachRemaining(n -> {
            if (!TRANSLATION_MEMBERS.contains(n)) {
                throw new EnvelopeFormatException("/body/" + MEMBER + "/" + n, "a translation has of, lang and text only; its translator is its signer");
            }
        });
        String of = t.path("of").isTextual() ? t.get("of").textValue() : "";
        if (!HEX64.matcher(of).matches()) throw new EnvelopeFormatException("/body/" + MEMBER + "/of", "the SHA-256 hex hash of the envelope translated");
        String lang = t.path("lang").isTextual() ? t.get("lang").textValue() : null;
        if (!validLang(lang)) throw new EnvelopeFormatException("/body/" + MEMBER + "/lang", "a BCP 47 language tag such as ru or en is required");
        if (!t.path("text").isTextual() || t.get("text").textValue().isBlank()) {
            throw new EnvelopeFormatException("/body/" + MEMBER + "/text", "the translated text is required");
        }
        if (t.get("text").textValue().length() > MAX_TEXT) throw new EnvelopeFormatException("/body/" + MEMBER + "/text", "at most " + MAX_TEXT + " characters");
        return t;
    }

    /** Whether {@code body} has free text a translation can render. */
    public static boolean hasFreeText(JsonNode body) {
        return FREE_TEXT.stream().anyMatch(f -> body.path(f).isTextual() && !body.get(f).textValue().isBlank());
    }

    /** Why a well-formed translation does not count, with a stable code for the API's problem and the desk's message. */
    public enum Fault {
        OTHER_CASE("other-case", "the envelope translated is not a message of this case in this channel"),
        NO_FREE_TEXT("no-free-text", "the envelope translated has no free text to translate"),
        SAME_LANGUAGE("same-language", "the original is already in that language; a translation is in another language"),
        WEAKER_MARKING("weaker-marking", "the translation must be marked at least as strictly as the original"),
        NOT_A_HOLDER("not-a-holder", "a TLP:RED message is translated only by its sender or a recipient it names");

        private final String code;
        private final String detail;

        Fault(String code, String detail) {
            this.code = code;
            this.detail = detail;
        }

        public String code() {
            return code;
        }

        public String detail() {
            return detail;
        }
    }

    /**
     * Why a translation signed by {@code translator}, marked {@code tlp}, in {@code lang}, does not count as a
     * translation of {@code original} in case {@code caseId} of {@code channel}; empty if it does. The rules after the
     * shape, in one place for the node's check before signing and for {@link #of}.
     */
    public static Optional<Fault> refusal(Envelope original, String caseId, String channel, String translator, Tlp tlp, String lang) {
        if (!channel.equals(original.channel()) || !caseId.equals(original.caseId())) return Optional.of(Fault.OTHER_CASE);
        JsonNode body = original.body();
        if (isTranslation(original) || !hasFreeText(body)) return Optional.of(Fault.NO_FREE_TEXT);
        String originalLang = body.path("lang").isTextual() ? body.get("lang").textValue() : null;
        if (originalLang != null && primary(originalLang).equals(primary(lang))) return Optional.of(Fault.SAME_LANGUAGE);
        if (original.tlp().exceeds(tlp)) return Optional.of(Fault.WEAKER_MARKING);
        if (original.tlp() == Tlp.RED && !translator.equals(original.from()) && !named(body, translator)) return Optional.of(Fault.NOT_A_HOLDER);
        return Optional.empty();
    }

    /**
     * The translations that count among a case's {@code items}, by the hash of the envelope each translates, each
     * list in the order the translations were signed ({@code created}, then translator and seq, as the timeline
     * orders envelopes).
     */
    public static Map<String, List<CourtesyTranslation>> of(String caseId, String channel, List<CaseTimeline.Item> items) {
        Map<String, Envelope> byHash = new HashMap<>();
        for (CaseTimeline.Item i : items) byHash.put(i.hash(), i.envelope());
        List<CaseTimeline.Item> candidates = items.stream().filter(i -> isTranslation(i.envelope()))
                .sorted(Comparator.comparing((CaseTimeline.Item i) -> i.envelope().createdAt()).thenComparing(i -> i.envelope().from())
                        .thenComparingLong(i -> i.envelope().seq()))
                .toList();
        Map<String, List<CourtesyTranslation>> out = new LinkedHashMap<>();
        for (CaseTimeline.Item i : candidates) {
            Envelope e = i.envelope();
            if (!channel.equals(e.channel()) || !caseId.equals(e.caseId())) continue;
            CourtesyTranslation t;
            try {
                t = read(e, i.hash());
            } catch (EnvelopeFormatException ex) {
                continue;
            }
            Envelope original = byHash.get(t.of());
            if (original == null || refusal(original, caseId, channel, e.from(), e.tlp(), t.lang()).isPresent()) continue;
            out.computeIfAbsent(t.of(), k -> new ArrayList<>()).add(t);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    private static String primary(String tag) {
        int dash = tag.indexOf('-');
        return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
    }

    private static boolean named(JsonNode body, String party) {
        JsonNode r = body.get("recipients");
        if (r == null || !r.isArray()) return false;
        for (JsonNode n : r) if (party.equals(n.asText())) return true;
        return false;
    }
}
