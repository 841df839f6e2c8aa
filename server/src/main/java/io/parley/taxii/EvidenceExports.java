package io.parley.taxii;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.api.Problem;
import io.parley.api.ProblemException;
import io.parley.evidence.IodefExport;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MispExport;
import io.parley.node.Node;

/**
 * A held evidence bundle as a reader may take it away: the STIX bundle (what {@link EvidenceAccess#visibleBundle} lets
 * the account read), a MISP event and an IODEF document of the same. One place for both edges that serve them, the API
 * ({@code GET /api/v1/evidence/{sha256}[/misp|/iodef]}) and the web UI's evidence page, so both apply the same marking
 * policy and the same refusal of withdrawn evidence; each edge records the export on the audit trail its own way.
 */
public final class EvidenceExports {
    private final Node node;
    private final Evidence evidence;

    public EvidenceExports(Node node, Evidence evidence) {
        this.node = node;
        this.evidence = evidence;
    }

    /**
     * The STIX bundle as {@code user} may read it.
     *
     * @param retractedBy the retract envelopes that reached the bundle, comma-separated (empty when none)
     * @param withheld how many of the held bundle's objects the reader may not see
     */
    public record Stix(ObjectNode bundle, String retractedBy, int withheld) {}

    public Stix stix(LocalUser user, String sha) {
        ObjectNode bundle = visible(user, sha);
        int held = evidence.access().held(sha).map(EvidenceStore.Bundle::objectCount).orElse(bundle.get("objects").size());
        return new Stix(bundle, retractedBy(sha), held - bundle.get("objects").size());
    }

    /** The MISP event of what {@code user} may read; 410 when every sharing of the bundle was withdrawn. */
    public ObjectNode misp(LocalUser user, String sha) {
        ObjectNode bundle = visible(user, sha);
        refuseWithdrawn(sha);
        return MispExport.toMisp(bundle);
    }

    /**
     * The MISP event of what {@code user} may read of bundle {@code sha} as shared in {@code channel} (a channel's MISP
     * feed): judged in that channel's sharings only; 404 when nothing of it is for the reader there, 410 when every
     * sharing of it in that channel was withdrawn.
     */
    public ObjectNode mispInChannel(LocalUser user, String sha, String channel) {
        ObjectNode bundle = evidence.access().visibleInChannel(user, sha, channel)
                .orElseThrow(() -> ProblemException.notFound("no evidence " + sha + " in channel " + channel + " that this account may read"));
        refuseWithdrawn(sha, l -> channel.equals(l.channel()));
        return MispExport.toMisp(bundle);
    }

    /** The IODEF document of what {@code user} may read; 410 when every sharing of the bundle was withdrawn. */
    public String iodef(LocalUser user, String sha) {
        ObjectNode bundle = visible(user, sha);
        refuseWithdrawn(sha);
        var meta = evidence.access().held(sha).orElseThrow();
        String title = null;
        for (JsonNode o : bundle.get("objects")) {
            if (o.path("type").asText().equals("report") && o.path("name").isTextual()) {
                title = o.get("name").textValue();
                break;
            }
        }
        String caseId = meta.caseId() != null ? meta.caseId() : "evidence-" + sha.substring(0, 16);
        return IodefExport.toXml(bundle, new IodefExport.CaseMetadata(caseId, node.origin(),
                title != null ? title : "Parley evidence " + sha.substring(0, 12), meta.createdAt(),
                new IodefExport.Contact(node.config().displayName(), null)));
    }

    private ObjectNode visible(LocalUser user, String sha) {
        return evidence.access().visibleBundle(user, sha)
                .orElseThrow(() -> ProblemException.notFound("no evidence " + sha + " that this account may read"));
    }

    /** The retract envelopes that reached bundle {@code sha}, as a header value (empty when none). */
    private String retractedBy(String sha) {
        List<String> hashes = new ArrayList<>();
        evidence.ingest().retractions().ofBundle(sha).forEach(r -> hashes.add(r.path("retract").asText()));
        return String.join(", ", hashes);
    }

    /**
     * MISP and IODEF exports feed other tools, so they never re-spread evidence its sharers withdrew: a bundle whose
     * every sharing was retracted answers 410 naming the retract envelopes (the STIX bundle itself stays readable, as
     * the record of what was shared, marked with {@code Parley-Retracted}).
     */
    private void refuseWithdrawn(String sha) {
        refuseWithdrawn(sha, l -> true);
    }

    /** {@link #refuseWithdrawn(String)} over the sharings {@code among} selects (those of one channel, for its feed). */
    private void refuseWithdrawn(String sha, java.util.function.Predicate<EvidenceStore.Link> among) {
        var retractions = evidence.ingest().retractions();
        if (retractions.ofBundle(sha).isEmpty()) return;
        List<EvidenceStore.Link> links = new ArrayList<>(evidence.store().linksNaming(sha));
        links.addAll(evidence.store().linksHolding(sha));
        links.removeIf(among.negate());
        if (links.stream().allMatch(l -> retractions.withdrawn(l.channel(), l.sender(), l.caseId(), sha))) {
            throw new ProblemException(Problem.of(410, "retracted", "Gone", "evidence " + sha + " was withdrawn by the party that shared it (retract "
                    + retractedBy(sha) + "); it is not exported"));
        }
    }
}
