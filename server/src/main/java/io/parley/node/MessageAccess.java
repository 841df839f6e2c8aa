package io.parley.node;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.channel.RedRecipients;
import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MarkingPolicy;
import io.parley.json.Json;
import io.parley.store.StoredEnvelope;
import io.parley.store.UserStore;

/**
 * Which of this node's users may read which of its messages: {@link MarkingPolicy#mayReadMessage} applied to
 * envelopes, for every local read path (API, web pages, case views and exports). Holds no rule of its own: it only
 * builds the requester and the audience the policy judges, and the redacted view of a message the policy withholds.
 */
public final class MessageAccess {
    private final String origin;
    private final io.parley.store.ChannelStore channels;
    private final UserStore users;

    MessageAccess(String origin, io.parley.store.ChannelStore channels, UserStore users) {
        this.origin = origin;
        this.channels = channels;
        this.users = users;
    }

    /** The requester for a local account: role {@code admin}, plus its explicit RED grants. */
    public LocalUser reader(UserStore.User user) {
        return new LocalUser(user.username(), origin, "admin".equals(user.role()), users.redScopes(user.username()));
    }

    /** A reader with no role and no grant: what a page shows when it knows no account. */
    public LocalUser nobody() {
        return new LocalUser("", origin, false, Set.of());
    }

    /**
     * The audience of envelope {@code e}: its channel's members, its sender and, for RED, its named recipients (a RED
     * envelope whose recipients cannot be read names nobody but its sender).
     */
    public Audience audience(Envelope e) {
        Optional<Charter> charter = channels.charter(e.channel());
        Set<String> members = new TreeSet<>();
        charter.ifPresent(c -> c.members().forEach(m -> members.add(m.origin())));
        Set<String> named = null;
        if (e.tlp() == Tlp.RED) {
            try {
                named = charter.flatMap(c -> RedRecipients.of(e, c)).orElse(Set.of());
            } catch (EnvelopeFormatException ex) {
                named = Set.of();
            }
        }
        return new Audience(e.channel(), members, e.from(), named, charter.map(Charter::tlpCeiling).orElse(Tlp.CLEAR));
    }

    public boolean mayRead(LocalUser reader, Envelope e) {
        return MarkingPolicy.mayReadMessage(reader, audience(e), e.tlp());
    }

    /** {@code s} as {@code reader} may see it: whole, or with its body (and signature) withheld. */
    public StoredEnvelope view(LocalUser reader, StoredEnvelope s) {
        return mayRead(reader, s.envelope()) ? s : new StoredEnvelope(s.id(), withheld(s.envelope()), s.hash(), s.receivedAt());
    }

    /**
     * The metadata of {@code e} ({@link MarkingPolicy#MESSAGE_METADATA}) with a body that says only that the content
     * is withheld and from whom it may be asked. Unsigned, so it can never pass for the envelope.
     */
    static Envelope withheld(Envelope e) {
        ObjectNode body = Json.object();
        body.put("withheld", "TLP:" + e.tlp().wire().toUpperCase(java.util.Locale.ROOT)
                + ": the content is only for users granted " + e.tlp().wire().toUpperCase(java.util.Locale.ROOT) + " in channel " + e.channel());
        var recipients = e.body().get("recipients");
        if (recipients != null && recipients.isArray()) body.set("recipients", recipients.deepCopy());
        // an exercise stays labelled as one for every reader, so no one takes a withheld drill for an incident
        if (e.body().path("exercise").isBoolean()) body.put("exercise", e.body().path("exercise").booleanValue());
        return new Envelope(e.v(), e.channel(), e.from(), e.seq(), e.prev(), e.kind(), e.caseId(), e.created(), e.priority(), e.tlp(), body, null);
    }

    /** True when {@code view} is a withheld view made by {@link #view}. */
    public static boolean isWithheld(Envelope view) {
        return view.sig() == null && view.body().has("withheld");
    }
}
