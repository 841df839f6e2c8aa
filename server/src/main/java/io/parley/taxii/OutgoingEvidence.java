package io.parley.taxii;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MarkingPolicy;
import io.parley.evidence.StixValidator;
import io.parley.evidence.ValidationReport;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Fault;
import io.parley.node.OutgoingCheck;
import io.parley.store.UserStore;

/**
 * The evidence and marking rules of every envelope this node writes ({@link #check}), run by {@link Composer} before
 * signing, so no route (API messages, cases and case actions, web forms, pings, escalations, the demo) can send
 * evidence around them.
 *
 * <p>Rules that depend on who asks (a referenced bundle must be readable in full by its sender) are judged for the
 * draft's author; the node's own automatic envelopes have no author and get the least privilege: no admin role, no
 * RED grants.
 */
public final class OutgoingEvidence implements OutgoingCheck {
    private final EvidenceStore store;
    private final EvidenceAccess access;
    private final Audiences audiences;
    private final UserStore users;
    private final StixValidator validator = StixValidator.shared();

    public OutgoingEvidence(Evidence evidence, UserStore users) {
        this.store = evidence.store();
        this.access = evidence.access();
        this.audiences = evidence.audiences();
        this.users = users;
    }

    @Override
    public List<Fault> faults(Composer.Draft draft) {
        if (draft.body() == null) return List.of();
        return check(author(draft.author()), draft.channel(), draft.tlp(), draft.body());
    }

    @Override
    public String code() {
        return "evidence-refused";
    }

    private LocalUser author(String username) {
        if (username != null) {
            var user = users.find(username);
            if (user.isPresent()) return access.requester(user.get().username(), user.get().role());
        }
        return new LocalUser(username == null ? "(node)" : username, audiences.self(), false, Set.of());
    }

    /**
     * Checks the evidence in the body of a message {@code user} is about to send in {@code channel} with label
     * {@code tlp}: {@code recipients} are members; an inline {@code stix} bundle is valid STIX 2.1, every object fits
     * under the channel's ceiling, may be shared on into the channel, and is not RED unless every member is named
     * (an inline bundle reaches every member); bundles named in {@code evidence} are held here, readable by the user
     * in full, under the ceiling and may be shared on. Returns the faults, as pointers into the request body.
     */
    List<Fault> check(LocalUser user, String channel, Tlp tlp, JsonNode body) {
        List<Fault> faults = new ArrayList<>();
        Optional<Charter> charter = audiences.channels().charter(channel);
        if (charter.isEmpty() || body == null || !body.isObject()) return faults;
        Set<String> members = new TreeSet<>();
        charter.get().members().forEach(m -> members.add(m.origin()));
        Set<String> recipients = recipients(body.get("recipients"), members, channel, faults);
        Audience target = new Audience(channel, members, audiences.self(), recipients, charter.get().tlpCeiling());
        JsonNode stix = body.get("stix");
        if (stix != null && !stix.isNull()) {
            Set<String> others = new HashSet<>(members);
            others.remove(audiences.self());
            boolean everyoneNamed = recipients == null || recipients.containsAll(others);
            inline(stix, tlp, target, everyoneNamed, faults);
        }
        JsonNode refs = body.get("evidence");
        if (refs != null && !refs.isNull()) {
            if (!refs.isArray()) {
                faults.add(new Fault("/body/evidence", "evidence must be an array of {\"sha256\": …, \"name\": …}"));
                return faults;
            }
            for (int i = 0; i < refs.size(); i++) reference(user, "/body/evidence/" + i, refs.get(i), tlp, target, faults);
        }
        return faults;
    }

    /** The named recipients (null: every member); each must be a member. */
    private static Set<String> recipients(JsonNode rs, Set<String> members, String channel, List<Fault> faults) {
        if (rs == null || rs.isNull()) return null;
        if (!rs.isArray() || rs.isEmpty()) {
            faults.add(new Fault("/body/recipients", "recipients must be a non-empty array of member origins"));
            return null;
        }
        Set<String> recipients = new TreeSet<>();
        for (int i = 0; i < rs.size(); i++) {
            JsonNode r = rs.get(i);
            if (!r.isTextual() || !members.contains(r.textValue())) {
                faults.add(new Fault("/body/recipients/" + i, "recipients must be members of channel " + channel + ": " + r));
            } else {
                recipients.add(r.textValue());
            }
        }
        return recipients;
    }

    /** An inline bundle reaches every reader of the message, so RED only when every member is named. */
    private void inline(JsonNode stix, Tlp tlp, Audience target, boolean everyoneNamed, List<Fault> faults) {
        ValidationReport report = validator.validate(stix);
        if (!report.valid()) {
            faults.addAll(EvidenceIngest.invalid(report, "/body/stix").faults());
        } else {
            checkObjects(stix, i -> "/body/stix/objects/" + i, i -> "", tlp, target, faults, everyoneNamed, true);
        }
    }

    /** A bundle named by hash: held here, readable by the sender in full, and every object fit for the channel. */
    private void reference(LocalUser user, String at, JsonNode ref, Tlp tlp, Audience target, List<Fault> faults) {
        String sha = ref.path("sha256").asText("");
        if (!ref.isObject() || !EvidenceIngest.SHA256.matcher(sha).matches()) {
            faults.add(new Fault(at + "/sha256", "sha256 must be the lowercase hex SHA-256 of an uploaded bundle"));
            return;
        }
        if (ref.has("name") && !ref.get("name").isTextual()) faults.add(new Fault(at + "/name", "name must be a string"));
        Optional<EvidenceStore.Bundle> held = store.bundle(sha);
        if (held.isEmpty()) {
            faults.add(new Fault(at + "/sha256", "no evidence " + sha + " is held here; upload it first (POST /api/v1/evidence)"));
            return;
        }
        JsonNode bundle = Json.parse(held.get().json());
        int visible = access.visibleBundle(user, sha).map(v -> v.get("objects").size()).orElse(0);
        if (visible < bundle.get("objects").size()) {
            faults.add(new Fault(at + "/sha256", "the bundle holds objects you may not read, so you may not share it"));
            return;
        }
        checkObjects(bundle, i -> at + "/sha256", i -> "object /objects/" + i + " of evidence " + sha + ": ", tlp, target, faults, true, false);
    }

    private void checkObjects(JsonNode bundle, IntFunction<String> pointer, IntFunction<String> prefix,
                              Tlp envelopeTlp, Audience target, List<Fault> faults, boolean redAllowed, boolean inline) {
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        JsonNode objects = bundle.get("objects");
        Map<String, String> blocked = access.blockedFor(target, EvidenceAccess.ids(bundle));
        for (int i = 0; i < objects.size(); i++) {
            JsonNode o = objects.get(i);
            String p = pointer.apply(i);
            String pre = prefix.apply(i);
            Tlp t = MarkingPolicy.tlpOf(o, local, envelopeTlp);
            if (t.exceeds(target.ceiling())) {
                faults.add(new Fault(p, pre + "marked TLP:" + upper(t) + ", above the TLP ceiling "
                        + upper(target.ceiling()) + " of channel " + target.channel()));
            } else if (inline && t.exceeds(envelopeTlp)) {
                // Whoever may read the message reads its inline bundle (views, exports, the recipients' stores).
                faults.add(new Fault(p, pre + "marked TLP:" + upper(t) + ", above the message's own label TLP:"
                        + upper(envelopeTlp) + ": label the message at least TLP:" + upper(t)
                        + " or attach the bundle by hash (body.evidence)"));
            } else if (t == Tlp.RED && !redAllowed) {
                faults.add(new Fault(p, pre + "TLP:RED in an inline bundle would reach every member, not only the named recipients: "
                        + "attach the bundle by hash (body.evidence) so that only named recipients can fetch it"));
            }
            String why = blocked.get(o.path("id").asText());
            if (why != null) faults.add(new Fault(p, pre + why));
        }
    }

    private static String upper(Tlp t) {
        return t.wire().toUpperCase(Locale.ROOT);
    }
}
