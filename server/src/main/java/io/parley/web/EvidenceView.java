package io.parley.web;

import java.util.List;

import io.parley.envelope.Tlp;
import io.parley.web.WebModel.Layout;
import io.parley.web.WebModel.Party;

/** What the evidence page shows: plain, already formatted and translated values, built by {@link EvidencePages}. */
public final class EvidenceView {
    private EvidenceView() {}

    /**
     * The evidence of one case. withheld: objects of the case the reader may not see (counted, never shown);
     * caseHref/bundleHref: the case page and its signed case bundle.
     */
    public record Page(Layout layout, String caseId, String channel, String caseHref, String bundleHref, List<Row> rows,
                       List<Download> downloads, int withheld) {}

    /**
     * One STIX object as the parties shared it in the case. typeLabel: the type in the reader's language (null for a
     * type without one, then the wire type alone is shown); value: the indicator pattern, the observable's value or the
     * object's name, as written; revoked: the object says so; withdrawn: every party that shared it withdrew it.
     */
    public record Row(String stixId, String type, String typeLabel, String value, String name, Tlp tlp, String tlpMeaning,
                      String firstSeen, String firstSeenIso, List<Party> sentBy, boolean revoked, boolean withdrawn, List<Correlation> correlations) {}

    /** "Also reported by X in case Y": href is the other case's evidence page (null for evidence filed here without a channel). */
    public record Correlation(Party party, String caseId, String channel, String href) {}

    /** One bundle of the case and its downloads; MISP and IODEF are not offered for a withdrawn bundle (the node refuses them). */
    public record Download(String sha256, String name, Party sender, String at, int objects, boolean inline, boolean withdrawn,
                           String stixHref, String mispHref, String iodefHref) {}
}
