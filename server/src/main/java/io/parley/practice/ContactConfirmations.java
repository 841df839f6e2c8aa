package io.parley.practice;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;

/**
 * Points of contact kept alive (the UN Points-of-Contact directory and OSCE CBM 8 expect it): each member re-confirms
 * its points of contact as often as its channel's charter says ({@code contacts_reconfirm}).
 *
 * <p>A re-confirmation is a case-less {@code update} envelope whose body says {@code contacts_confirmed} (with the
 * SHA-256 of the party card whose contacts it confirms and those contacts): signed by its sender, chained, logged and
 * delivered to every member like any envelope, so only a party's own key can confirm for it (a member that puts
 * another party's name in the body confirms only for itself). A confirmation counts from its signed {@code created}
 * time, or from when this node received it if that is earlier, so a post-dated one cannot push its sender's next due
 * date beyond the schedule. Signing the terms in force counts as confirming too: a member is due one period after
 * it signed them or last re-confirmed, whichever is later.
 */
public final class ContactConfirmations {
    /** The body member that makes a case-less update a re-confirmation of its sender's points of contact. */
    public static final String FIELD = "contacts_confirmed";

    /** Where one member of one channel stands. {@code overdueSince} is its due time once that has passed, else null. */
    public record Status(String channel, String party, Instant lastConfirmed, String how, Instant due, Instant overdueSince,
                         String envelopeHash) {
        public boolean overdue() {
            return overdueSince != null;
        }
    }

    private final Node node;
    private final PracticeStore store;

    public ContactConfirmations(Node node, PracticeStore store) {
        this.node = node;
        this.store = store;
    }

    /** Whether {@code e} is a re-confirmation of points of contact. */
    public static boolean isConfirmation(Envelope e) {
        return e.kind() == Kind.UPDATE && e.caseId() == null && e.body().path(FIELD).isTextual();
    }

    /** Records an accepted re-confirmation (ours or a member's; acceptance has verified its sender's signature). */
    public void record(StoredEnvelope s) {
        Envelope e = s.envelope();
        if (!isConfirmation(e)) return;
        Instant at = e.createdAt().isAfter(s.receivedAt()) ? s.receivedAt() : e.createdAt();
        JsonNode card = e.body().get("card");
        store.confirm(e.channel(), new PracticeStore.Confirmation(e.from(), at, s.hash(), card != null && card.isTextual() ? card.asText() : null));
    }

    /** One channel where we confirmed, and the envelope that says so. */
    public record Confirmed(String channel, String envelopeHash) {}

    /**
     * Re-confirms our points of contact, as they stand on our signed card, in every active channel we are a member
     * of, on behalf of local account {@code author}. Returns each channel with its envelope; a channel whose envelope
     * was refused is left out.
     */
    public List<Confirmed> confirm(String author) {
        var card = node.card();
        String cardHash = Sha256.hex(Jcs.canonicalize(card.toJson()));
        List<Confirmed> out = new ArrayList<>();
        for (Charter c : node.channels().all()) {
            if (!node.charters().active(c.channel()) || c.member(node.origin()).isEmpty()) continue;
            ObjectNode body = Json.object().put(FIELD, node.now().toString()).put("card", cardHash)
                    .put("summary", "Points of contact of " + node.origin() + " re-confirmed");
            body.set("contacts", card.toJson().path("contacts").deepCopy());
            Verdict v = node.composer().compose(new Composer.Draft(c.channel(), Kind.UPDATE, null, Priority.ROUTINE, Tlp.GREEN, body, author));
            if (v instanceof Verdict.Accepted a) out.add(new Confirmed(c.channel(), a.hash()));
        }
        return out;
    }

    /** Every member of every active channel whose charter sets a re-confirmation period, as of {@code now}. */
    public List<Status> status(Instant now) {
        List<Status> out = new ArrayList<>();
        for (Charter c : node.channels().all()) {
            if (!node.charters().active(c.channel())) continue;
            Duration every = c.practice().contactReconfirmationEvery().orElse(null);
            if (every == null) continue;
            Map<String, PracticeStore.Confirmation> confirmed = store.confirmations(c.channel());
            String terms = c.hash();
            for (Charter.Member m : c.members()) {
                PracticeStore.Confirmation conf = confirmed.get(m.origin());
                Instant signed = node.channels().signedAt(c.channel(), terms, m.origin()).orElse(null);
                Instant last;
                String how;
                if (conf != null && (signed == null || !conf.confirmedAt().isBefore(signed))) {
                    last = conf.confirmedAt();
                    how = "re-confirmation";
                } else {
                    last = signed;
                    how = "charter signature";
                }
                if (last == null) continue; // not in force for this member yet
                Instant due = last.plus(every);
                out.add(new Status(c.channel(), m.origin(), last, how, due, now.isAfter(due) ? due : null,
                        how.equals("re-confirmation") ? conf.envelopeHash() : null));
            }
        }
        return out;
    }

    /** The members overdue anywhere, each with the earliest time it became overdue, by origin. */
    public Map<String, Instant> overdue(Instant now) {
        Map<String, Instant> out = new java.util.TreeMap<>();
        for (Status s : status(now)) if (s.overdue()) out.merge(s.party(), s.overdueSince(), (x, y) -> x.isBefore(y) ? x : y);
        return out;
    }

    /** {@link #overdue(Instant)} of one channel. */
    public Map<String, Instant> overdue(String channel, Instant now) {
        Map<String, Instant> out = new java.util.TreeMap<>();
        for (Status s : status(now)) if (s.overdue() && s.channel().equals(channel)) out.put(s.party(), s.overdueSince());
        return out;
    }

    /** The JSON of one status, as the API shows it. */
    public static ObjectNode json(Status s) {
        ObjectNode o = Json.object().put("channel", s.channel()).put("party", s.party()).put("last_confirmed", s.lastConfirmed().toString())
                .put("by", s.how()).put("due", s.due().toString()).put("overdue", s.overdue());
        if (s.overdue()) o.put("overdue_since", s.overdueSince().toString());
        if (s.envelopeHash() != null) o.put("envelope", s.envelopeHash());
        return o;
    }
}
