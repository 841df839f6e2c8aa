package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The one place Parley decides who may see a TLP-marked STIX object and where it may be shared on. Every path that lets
 * evidence out asks this class: TAXII objects, object, manifest and versions (through {@link Clearance}, which turns
 * the same rules into a SQL condition), {@code GET /api/v1/evidence/{sha256}} and its MISP and IODEF exports
 * ({@link #redact}), bundles fetched by peers over federation, correlation results, and sending an envelope that
 * carries or references evidence ({@link #mayReshare}).
 *
 * <h2>Audiences (FIRST TLP 2.0, as Parley maps them)</h2>
 * An object is always held in an {@link Audience}: the channel it was shared in (its charter's members, the sending
 * party, the envelope's named recipients and the channel's TLP ceiling), or this node's own material (uploads, the
 * own-sharing TAXII collection), whose only member is this node. A requester is a {@link LocalUser} (an account of
 * this node, whose organisation is this node) or a {@link Peer} (another node, authenticated by its log key).
 * <ul>
 *   <li><b>CLEAR</b>: anyone.
 *   <li><b>GREEN</b>: the community: every authenticated local user and every federated peer.
 *   <li><b>AMBER</b>: the recipient organisations: the channel's members (and its sender).
 *   <li><b>AMBER+STRICT</b>: the recipient organisation only: read as AMBER (each member reads its own copy; a node's
 *       users are that organisation), but never shared on to another channel or collection (see below).
 *   <li><b>RED</b>: named recipients only: the sender and the envelope's {@code recipients} (every member when the
 *       envelope names none). Within a named organisation, a local user reads RED only with role {@code admin} or an
 *       explicit grant for that channel (scope = channel id) or for everything (scope {@code *}); this node's own RED
 *       material needs {@code admin} or the {@code *} grant.
 * </ul>
 * A peer additionally never receives anything above the TLP ceiling of the channel it reads through.
 *
 * <h2>Sharing on</h2>
 * {@link #mayReshare} decides whether an object held in one audience may be put into another (sending it in an
 * envelope of another channel, adding it to the own-sharing collection): material this node originated may go
 * anywhere its marking fits under the target's ceiling; others' CLEAR and GREEN may go anywhere (community); others'
 * AMBER only to an audience whose members were all in the original audience; others' AMBER+STRICT never leaves the
 * channel it came in; others' RED never leaves it either and only to a subset of its named recipients.
 *
 * <p>An object's TLP is its effective TLP ({@link TlpMarking}: the strictest of its object and granular markings);
 * an unmarked object takes the label of the envelope it came in (for own uploads, the label chosen at upload);
 * marking and extension definitions without markings are CLEAR.
 */
public final class MarkingPolicy {
    /** The grant scope that clears a user for RED in every channel and in this node's own material. */
    public static final String ALL_SCOPES = "*";


    private MarkingPolicy() {}

    /** Who asks for evidence. */
    public sealed interface Requester permits LocalUser, Peer {
        /** The requester's organisation: a party origin. */
        String organisation();
    }

    /**
     * An account of this node.
     *
     * @param organisation this node's origin
     * @param admin true for role {@code admin}
     * @param redScopes channel ids (or {@link #ALL_SCOPES}) in which the user has an explicit grant to read RED
     */
    public record LocalUser(String username, String organisation, boolean admin, Set<String> redScopes) implements Requester {
        public LocalUser {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(organisation, "organisation");
            redScopes = Set.copyOf(redScopes);
        }

        /** True when the user may read RED held in {@code channel} (null: this node's own material). */
        public boolean redCleared(String channel) {
            return admin || redScopes.contains(ALL_SCOPES) || (channel != null && redScopes.contains(channel));
        }
    }

    /** Another party's node, authenticated by a request signed with its log key. */
    public record Peer(String organisation) implements Requester {
        public Peer {
            Objects.requireNonNull(organisation, "organisation");
        }
    }

    /**
     * Where an object is held.
     *
     * @param channel the channel id, or null for this node's own material
     * @param members the organisations the channel's charter names (own material: this node)
     * @param sender the organisation that shared the object (the envelope's {@code from}; own material: this node)
     * @param recipients the envelope's named recipients, or null when it names none (then: every member)
     * @param ceiling the channel's TLP ceiling, or null for own material
     */
    public record Audience(String channel, Set<String> members, String sender, Set<String> recipients, Tlp ceiling) {
        public Audience {
            members = Set.copyOf(members);
            Objects.requireNonNull(sender, "sender");
            recipients = recipients == null ? null : Set.copyOf(recipients);
        }

        /** This node's own material. */
        public static Audience own(String self) {
            return new Audience(null, Set.of(self), self, null, null);
        }

        /** True when {@code organisation} is one of the audience's organisations (AMBER). */
        public boolean includes(String organisation) {
            return members.contains(organisation) || sender.equals(organisation);
        }

        /** True when {@code organisation} is a named recipient (RED): the sender, or a named (default: every) member. */
        public boolean names(String organisation) {
            return sender.equals(organisation) || (recipients == null ? members.contains(organisation) : recipients.contains(organisation));
        }

        /** The named recipients, sender included. */
        public Set<String> named() {
            Set<String> out = new TreeSet<>(recipients == null ? members : recipients);
            out.add(sender);
            return out;
        }
    }

    /** May {@code requester} see an object marked {@code tlp} held in {@code audience}? */
    public static boolean mayRead(Requester requester, Audience audience, Tlp tlp) {
        if (requester instanceof Peer && audience.ceiling() != null && tlp.exceeds(audience.ceiling())) {
            return false; // nothing above a channel's ceiling travels to a peer through it
        }
        return switch (tlp) {
            case CLEAR, GREEN -> true; // both kinds of requester are authenticated members of the community
            case AMBER, AMBER_STRICT -> audience.includes(requester.organisation());
            case RED -> audience.names(requester.organisation())
                    && (requester instanceof Peer || ((LocalUser) requester).redCleared(audience.channel()));
        };
    }

    /**
     * May {@code requester} read the content of a message marked {@code tlp} held in {@code audience} (the envelope's
     * channel, sender and named recipients): its body, that is free text, typed fields, inline STIX and evidence
     * references. The same rule as for an object ({@link #mayRead}): RED only to the named organisations, and within
     * this node only to {@code admin} or a user granted RED for the channel.
     *
     * <p>What every local user sees of every envelope the node holds is its metadata ({@link #MESSAGE_METADATA}):
     * enough to know that a case exists, who must answer by when, and whom to ask for the content; the same a member
     * that is not a named recipient learns from the sender's withheld notice. A case evidence bundle is all content
     * (signed envelopes); a requester who may not read every message in it gets none of it (see the export route).
     */
    public static boolean mayReadMessage(Requester requester, Audience audience, Tlp tlp) {
        return mayRead(requester, audience, tlp);
    }

    /** The envelope members shown to a local user who may not read a message's content; the body never is. */
    public static final Set<String> MESSAGE_METADATA = Set.of("v", "channel", "from", "seq", "prev", "kind", "case", "created",
            "priority", "tlp");

    /**
     * May {@code self} put an object marked {@code tlp}, held in {@code from}, into {@code to} (an envelope of another
     * or the same channel, or this node's own-sharing collection)?
     */
    public static boolean mayReshare(Audience from, Audience to, Tlp tlp, String self) {
        if (to.ceiling() != null && tlp.exceeds(to.ceiling())) {
            return false;
        }
        if (from.sender().equals(self)) {
            return true; // our own material: the originator decides where it goes
        }
        boolean sameChannel = Objects.equals(from.channel(), to.channel());
        return switch (tlp) {
            case CLEAR, GREEN -> true;
            case AMBER -> orgs(to).stream().allMatch(from::includes);
            case AMBER_STRICT -> sameChannel;
            case RED -> sameChannel && from.named().containsAll(to.named());
        };
    }

    private static Set<String> orgs(Audience a) {
        Set<String> out = new HashSet<>(a.members());
        out.add(a.sender());
        return out;
    }

    /**
     * What a local user may see in one TAXII collection, in a form the store can turn into SQL: every object up to
     * {@code upTo}, and RED objects whose audience names this node when {@code redWhenNamed}.
     */
    public record Clearance(Tlp upTo, boolean redWhenNamed) {
        /** True when an object marked {@code tlp} (whose audience names this node when {@code named}) is visible. */
        public boolean admits(Tlp tlp, boolean named) {
            return !tlp.exceeds(upTo) || (tlp == Tlp.RED && redWhenNamed && named);
        }

        /**
         * The same test as a SQL condition over an integer TLP rank column ({@link Tlp#ordinal()}) and a 0/1 column
         * that says whether the row's audience names this node. Only constants are spliced in.
         */
        public String sql(String rankColumn, String namedColumn) {
            String base = rankColumn + " <= " + upTo.ordinal();
            return redWhenNamed && upTo != Tlp.RED
                    ? "(" + base + " OR (" + rankColumn + " = " + Tlp.RED.ordinal() + " AND " + namedColumn + " = 1))"
                    : "(" + base + ")";
        }
    }

    /**
     * The clearance of {@code user} for a collection whose rows share {@code audience}'s channel, members and ceiling
     * (rows differ only in sender and named recipients, which the store keeps as the "named" flag).
     */
    public static Clearance clearance(LocalUser user, Audience audience) {
        Tlp upTo = null;
        for (Tlp t : new Tlp[] {Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT}) {
            if (!mayRead(user, audience, t)) {
                break;
            }
            upTo = t;
        }
        // CLEAR is always readable, so upTo is never null
        return new Clearance(upTo, upTo == Tlp.AMBER_STRICT && user.redCleared(audience.channel()));
    }

    /** The marking definitions a bundle ships under non-standard ids that carry TLP semantics. */
    public static Map<String, Tlp> localMarkings(JsonNode bundle) {
        return TlpMarking.localTlpMarkings(bundle);
    }

    /**
     * The TLP that governs {@code object}: its effective TLP (object and granular markings, the strictest wins),
     * else CLEAR for marking and extension definitions, else {@code unmarked} (the envelope's label).
     */
    public static Tlp tlpOf(JsonNode object, Map<String, Tlp> localMarkings, Tlp unmarked) {
        return TlpMarking.governingTlp(object, localMarkings, unmarked);
    }

    /**
     * The TLP that governs {@code object} as carried (inline or by reference) in a message marked {@code messageTlp}:
     * {@link #tlpOf}, except that everything a TLP:RED message carries is RED. Only the message's named recipients
     * get the message, so nothing in it may reach anyone else through it, whatever marking the object bears.
     */
    public static Tlp tlpInMessage(JsonNode object, Map<String, Tlp> localMarkings, Tlp messageTlp) {
        return messageTlp == Tlp.RED ? Tlp.RED : tlpOf(object, localMarkings, messageTlp);
    }

    /**
     * A copy of {@code bundle} holding the objects {@code visible} admits, and then only those that can still stand:
     * through the one cascade of {@link TlpMarking#redact} (a relationship or sighting whose endpoint went, anything whose
     * marking definition went, a report/grouping/note/opinion/observed-data left without object_refs), with remaining
     * references to removed objects pruned, so the output never holds a dangling reference.
     */
    public static ObjectNode redact(JsonNode bundle, Predicate<JsonNode> visible) {
        return TlpMarking.redact(bundle, visible);
    }
}
