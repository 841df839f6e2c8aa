package io.parley.channel;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Tlp;

/**
 * Who a TLP:RED envelope is for (TLP 2.0: "named recipients only"). The one reading of {@code body.recipients},
 * shared by the composer (our own envelopes: a 422 for the author), the acceptor (a peer's envelopes) and every read
 * path that builds a {@link io.parley.evidence.MarkingPolicy.Audience}.
 *
 * <p>Rule: a RED envelope must carry {@code body.recipients}, a non-empty array of distinct member origins of the
 * charter in force other than the sender. Nothing implicit: a RED envelope without named recipients is malformed, so
 * "every member" can never be what a forgotten field means.
 */
public final class RedRecipients {
    private RedRecipients() {}

    /**
     * The named recipients of RED envelope {@code e} under {@code charter} (sorted, sender excluded); empty for an
     * envelope that is not RED.
     *
     * @throws EnvelopeFormatException at {@code /body/recipients[/i]} when a RED envelope names none, a non-member,
     *     itself or someone twice
     */
    public static Optional<Set<String>> of(Envelope e, Charter charter) {
        if (e.tlp() != Tlp.RED) return Optional.empty();
        return Optional.of(parse(e.body().get("recipients"), e.from(), charter));
    }

    /** As {@link #of}, for a draft's body before it is signed. */
    public static Set<String> parse(JsonNode recipients, String sender, Charter charter) {
        String where = "/body/recipients";
        if (recipients == null || recipients.isNull()) {
            throw new EnvelopeFormatException(where, "a TLP:RED message goes only to named recipients: body.recipients must list the member origins it is for");
        }
        if (!recipients.isArray() || recipients.isEmpty()) {
            throw new EnvelopeFormatException(where, "body.recipients must be a non-empty array of member origins");
        }
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < recipients.size(); i++) {
            JsonNode r = recipients.get(i);
            if (!r.isTextual() || charter.member(r.textValue()).isEmpty()) {
                throw new EnvelopeFormatException(where + "/" + i, "recipients must be members of channel " + charter.channel() + ": " + r + " is not");
            }
            if (r.textValue().equals(sender)) {
                throw new EnvelopeFormatException(where + "/" + i, "the sender is not one of its own recipients: name the members it is for");
            }
            if (!out.add(r.textValue())) throw new EnvelopeFormatException(where + "/" + i, r.textValue() + " is named twice");
        }
        return out;
    }
}
