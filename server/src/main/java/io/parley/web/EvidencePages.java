package io.parley.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.api.ProblemException;
import io.parley.cases.CaseBook;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.Observable;
import io.parley.federation.Federation;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.taxii.CaseEvidence;
import io.parley.taxii.EvidenceExports;
import io.parley.timeline.CaseTimeline;
import io.parley.web.WebRoutes.Session;
import io.parley.web.WebRoutes.WebError;
import io.parley.web.i18n.Texts;

/**
 * A case's evidence for the duty officer: the STIX objects the parties shared in it as a table ({@code GET
 * /cases/{id}/evidence}), each indicator with the other cases that reported the same value, and the downloads: every
 * bundle as STIX, MISP and IODEF ({@code GET /evidence/{sha256}/{format}}) and the signed case bundle ({@code GET
 * /cases/{id}/bundle}). What a reader sees is what {@link io.parley.evidence.MarkingPolicy} lets their account read
 * (through {@link CaseEvidence}, {@link EvidenceExports} and the correlation index, the same the API serves), and the
 * downloads are audited as the API's are.
 */
final class EvidencePages {
    /** STIX types with a name in the bundles ({@code evidence.type.<type>}); others show their wire type alone. */
    private static final Set<String> NAMED_TYPES = Set.of("indicator", "observed-data", "sighting", "report", "relationship", "malware",
            "threat-actor", "attack-pattern", "campaign", "intrusion-set", "identity", "infrastructure", "tool", "vulnerability", "note",
            "course-of-action", "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file", "autonomous-system", "grouping",
            "location", "network-traffic", "x509-certificate");

    private final Node node;
    private final Federation federation;
    private final CaseBook cases;
    private final WebRoutes web;
    private final CaseEvidence caseEvidence;
    private final EvidenceExports exports;

    EvidencePages(Node node, Federation federation, CaseBook cases, WebRoutes web) {
        this.node = node;
        this.federation = federation;
        this.cases = cases;
        this.web = web;
        this.caseEvidence = new CaseEvidence(node.evidence());
        this.exports = new EvidenceExports(node, node.evidence());
    }

    /** Registered before {@code /cases/{id}/{action}}, which would otherwise match these. */
    void register(Javalin app) {
        app.get("/cases/{id}/evidence", web.page(this::page));
        app.get("/cases/{id}/bundle", web.page(this::caseBundle));
        app.get("/evidence/{sha256}/{format}", web.page(this::download));
    }

    private LocalUser reader(Session s) {
        return node.evidence().access().requester(s.user(), s.account().role());
    }

    private CaseTimeline theCase(Context ctx, Texts t) {
        String id = ctx.pathParam("id");
        return cases.find(id, ctx.queryParam("channel"))
                .orElseThrow(() -> new WebError(404, t.t("evidence.error.noCase"), t.t("evidence.error.noCase.detail", id)));
    }

    // ---- the page ----

    private void page(Context ctx, Session s) {
        Texts t = s.pages().texts();
        CaseTimeline c = theCase(ctx, t);
        LocalUser reader = reader(s);
        CaseEvidence.View view = caseEvidence.of(reader, c.channel(), c.caseId());
        Map<String, List<EvidenceView.Correlation>> correlated = correlations(s, reader, c);

        Map<String, List<CaseEvidence.Item>> byId = new LinkedHashMap<>();
        for (CaseEvidence.Item i : view.items()) {
            // marking definitions are what the TLP badges say; they are not evidence of the case
            if (i.type().equals("marking-definition")) continue;
            byId.computeIfAbsent(i.id(), k -> new ArrayList<>()).add(i);
        }
        List<EvidenceView.Row> rows = new ArrayList<>();
        for (List<CaseEvidence.Item> shared : byId.values()) rows.add(row(s, t, shared, correlated));
        rows.sort(Comparator.comparing(EvidenceView.Row::firstSeenIso).thenComparing(EvidenceView.Row::type).thenComparing(EvidenceView.Row::stixId));

        List<EvidenceView.Download> downloads = new ArrayList<>();
        for (CaseEvidence.Shared b : view.bundles()) {
            String base = "/evidence/" + Fmt.path(b.sha256()) + "/";
            downloads.add(new EvidenceView.Download(b.sha256(), b.name(), s.pages().party(b.sender()), t.time(b.at()), b.visible(), b.inline(),
                    b.withdrawn(), base + "stix", b.withdrawn() ? null : base + "misp", b.withdrawn() ? null : base + "iodef"));
        }
        var layout = s.layout(t.t("evidence.title", c.caseId()), "cases", 0, null, false);
        web.render(ctx, 200, "evidence.jte", new EvidenceView.Page(layout, c.caseId(), c.channel(), Fmt.caseHref(c.caseId(), c.channel(), null),
                bundleHref(c.caseId(), c.channel()), rows, downloads, view.withheld()));
    }

    static String bundleHref(String caseId, String channel) {
        return "/cases/" + Fmt.path(caseId) + "/bundle?channel=" + Fmt.path(channel);
    }

    private EvidenceView.Row row(Session s, Texts t, List<CaseEvidence.Item> shared, Map<String, List<EvidenceView.Correlation>> correlated) {
        CaseEvidence.Item first = shared.get(0); // items come oldest sharing first
        // the latest version the case holds is what the row describes (a revoked version comes after the original)
        CaseEvidence.Item latest = shared.stream().max(Comparator.comparing((CaseEvidence.Item i) -> i.object().path("modified").asText(""))).orElse(first);
        Tlp strictest = first.tlp();
        Set<String> senders = new LinkedHashSet<>();
        Set<String> correlationKeys = new LinkedHashSet<>();
        List<EvidenceView.Correlation> also = new ArrayList<>();
        boolean allWithdrawn = true;
        Instant seen = first.seenAt();
        for (CaseEvidence.Item i : shared) {
            if (i.tlp().exceeds(strictest)) strictest = i.tlp();
            senders.add(i.sender());
            allWithdrawn &= i.withdrawn();
            if (i.seenAt().isBefore(seen)) seen = i.seenAt();
            for (Observable o : i.observables()) {
                for (EvidenceView.Correlation cr : correlated.getOrDefault(key(o.type().wire(), o.value()), List.of())) {
                    if (correlationKeys.add(cr.party().origin() + "\u0000" + cr.channel() + "\u0000" + cr.caseId())) also.add(cr);
                }
            }
        }
        JsonNode o = latest.object();
        String type = latest.type();
        String name = o.path("name").isTextual() ? o.get("name").textValue() : null;
        String value = value(o);
        if (value != null && value.equals(name)) name = null;
        return new EvidenceView.Row(latest.id(), type, NAMED_TYPES.contains(type) ? t.t("evidence.type." + type) : null, value, name, strictest,
                t.t("evidence.tlp." + strictest.wire().replace('+', '-')), t.time(seen), seen.toString(),
                senders.stream().map(s.pages()::party).toList(), shared.stream().anyMatch(CaseEvidence.Item::revoked), allWithdrawn, also);
    }

    /** What identifies an object to a reader: an indicator's pattern, an observable's value, else its name (wire text, never translated). */
    private static String value(JsonNode o) {
        for (String f : new String[] {"pattern", "value", "name"}) if (o.path(f).isTextual()) return o.get(f).textValue();
        if (o.path("number").canConvertToLong()) return "AS" + o.get("number").asLong(); // autonomous-system
        if (o.path("hashes").isObject() && o.get("hashes").size() > 0) {
            var e = o.get("hashes").fields().next();
            return e.getKey() + ": " + e.getValue().asText();
        }
        if (o.path("relationship_type").isTextual()) {
            return o.path("source_ref").asText() + " " + o.get("relationship_type").textValue() + " " + o.path("target_ref").asText();
        }
        if (o.path("sighting_of_ref").isTextual()) return o.get("sighting_of_ref").textValue();
        return null;
    }

    /**
     * The other cases that reported the same observables, by observable ("type\0value"): the correlation index as the
     * API's {@code GET /api/v1/cases/{id}/correlations} serves it to this reader (both sides visible to them).
     */
    private Map<String, List<EvidenceView.Correlation>> correlations(Session s, LocalUser reader, CaseTimeline c) {
        ObjectNode found = node.evidence().correlation().caseCorrelations(reader, c.channel(), c.caseId());
        Map<String, List<EvidenceView.Correlation>> out = new LinkedHashMap<>();
        for (JsonNode other : found.path("correlated_cases")) {
            String otherCase = other.path("case").asText();
            String otherChannel = other.path("channel").isTextual() ? other.get("channel").textValue() : null;
            for (JsonNode sighting : other.path("sightings")) {
                String href = otherChannel == null ? null : "/cases/" + Fmt.path(otherCase) + "/evidence?channel=" + Fmt.path(otherChannel);
                out.computeIfAbsent(key(sighting.path("type").asText(), sighting.path("value").asText()), k -> new ArrayList<>())
                        .add(new EvidenceView.Correlation(s.pages().party(sighting.path("party").asText()), otherCase, otherChannel, href));
            }
        }
        return out;
    }

    private static String key(String type, String value) {
        return type + "\u0000" + value;
    }

    // ---- downloads ----

    /**
     * One bundle as STIX, MISP or IODEF, exactly as {@code GET /api/v1/evidence/{sha256}[/misp|/iodef]} serves it to
     * this account (the same {@link EvidenceExports}), MISP and IODEF exports on the audit trail as there.
     */
    private void download(Context ctx, Session s) {
        Texts t = s.pages().texts();
        String sha = ctx.pathParam("sha256");
        String format = ctx.pathParam("format");
        if (!sha.matches("[0-9a-f]{64}")) throw new WebError(404, t.t("evidence.error.noBundle"), t.t("evidence.error.noBundle.detail"));
        String file = "evidence-" + sha.substring(0, 16);
        LocalUser reader = reader(s);
        try {
            switch (format) {
                case "stix" -> {
                    EvidenceExports.Stix stix = exports.stix(reader, sha);
                    if (!stix.retractedBy().isEmpty()) ctx.header("Parley-Retracted", stix.retractedBy());
                    ctx.header("Parley-Withheld-Objects", Integer.toString(stix.withheld()));
                    attach(ctx, file + ".stix.json", io.parley.taxii.TaxiiService.STIX_MEDIA + "; charset=utf-8", Json.write(stix.bundle()));
                }
                case "misp" -> {
                    ObjectNode misp = exports.misp(reader, sha);
                    audit(ctx, s, sha, "MISP");
                    attach(ctx, file + ".misp.json", "application/json; charset=utf-8", Json.write(misp));
                }
                case "iodef" -> {
                    String xml = exports.iodef(reader, sha);
                    audit(ctx, s, sha, "IODEF");
                    attach(ctx, file + ".iodef.xml", "application/xml; charset=utf-8", xml);
                }
                default -> throw new WebError(404, t.t("evidence.error.noFormat"), t.t("evidence.error.noFormat.detail"));
            }
        } catch (ProblemException e) {
            int status = e.problem().status();
            if (status == 410) throw new WebError(410, t.t("evidence.error.withdrawn"), t.t("evidence.error.withdrawn.detail"));
            if (status == 404) throw new WebError(404, t.t("evidence.error.noBundle"), t.t("evidence.error.noBundle.detail"));
            throw e;
        }
    }

    private void audit(Context ctx, Session s, String sha, String format) {
        node.audit().record(io.parley.audit.AuditEvent.done(s.user(), io.parley.audit.AuditAction.EXPORT, "evidence " + sha, ctx.ip(), "web: " + format));
    }

    private static void attach(Context ctx, String filename, String type, String body) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"").contentType(type).result(body);
    }

    /**
     * The case's signed evidence bundle as a download, for the signed-in officer (the API does not take the session):
     * the same bundle and the same rule as {@code GET /api/v1/cases/{id}/evidence}, all or nothing, and on the audit trail.
     */
    private void caseBundle(Context ctx, Session s) {
        Texts t = s.pages().texts();
        CaseTimeline c = theCase(ctx, t);
        ObjectNode bundle = io.parley.export.CaseBundle.export(node, federation.outbox(), c.channel(), c.caseId());
        var unreadable = io.parley.export.CaseBundle.unreadable(node, node.messageAccess().reader(s.account()), bundle);
        if (unreadable.isPresent()) {
            throw new WebError(403, t.t("evidence.error.bundleRed"), t.t("evidence.error.bundleRed.detail",
                    "TLP:" + unreadable.get().tlp().wire().toUpperCase(Locale.ROOT), c.channel()));
        }
        node.audit().record(io.parley.audit.AuditEvent.done(s.user(), io.parley.audit.AuditAction.EXPORT, "case " + c.channel() + "/" + c.caseId(),
                ctx.ip(), "web: case bundle, " + bundle.path("envelopes").size() + " envelopes"));
        attach(ctx, c.caseId().replaceAll("[^A-Za-z0-9._-]", "_") + ".parley.json", "application/json; charset=utf-8", Json.write(bundle));
    }
}
