package io.parley.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.charter.Charter;
import io.parley.federation.Federation;
import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.practice.ContactConfirmations;
import io.parley.practice.PracticeStore;
import io.parley.store.LinkStore;
import io.parley.store.PartyStore;
import io.parley.web.i18n.Texts;
import io.parley.web.report.Charts;

/**
 * {@code GET /peers} and {@code GET /peers/{origin}}: every party this node knows, with the line to it as this node
 * recorded its deliveries ({@link LinkStore}: the same record the dashboard's peer rows and the report's uptime read),
 * its keys, points of contact, re-confirmations due, and the channels shared with it. Read only: pinning and
 * refreshing peers stay with the API and the CLI.
 */
final class PeerRoutes {
    /** The span of the line chart on a peer's page. */
    static final Duration LINE_CHART = Duration.ofDays(30);

    private final Node node;
    private final Federation federation;
    private final WebRoutes web;

    PeerRoutes(Node node, Federation federation, WebRoutes web) {
        this.node = node;
        this.federation = federation;
        this.web = web;
    }

    void register(Javalin app) {
        app.get("/peers", web.page(this::list));
        app.get("/peers/{origin}", web.page(this::show));
    }

    private void list(Context ctx, WebRoutes.Session s) {
        Texts t = s.pages().texts();
        List<ContactConfirmations.Status> statuses = contacts().status(s.pages().now());
        List<PeerView.Row> rows = new ArrayList<>();
        for (PartyStore.Party p : node.knownParties()) {
            if (!p.origin().equals(node.origin())) rows.add(row(s.pages(), p, statuses));
        }
        web.render(ctx, 200, "peers.jte", new PeerView.List_(s.layout(t.t("peers.title"), "peers", 0, null, false), rows));
    }

    private ContactConfirmations contacts() {
        return new ContactConfirmations(node, new PracticeStore(node.db()));
    }

    private PeerView.Row row(Pages pages, PartyStore.Party p, List<ContactConfirmations.Status> statuses) {
        Texts t = pages.texts();
        Instant now = pages.now();
        Optional<LinkStore.Link> link = federation.links().link(p.origin());
        String line = link.map(l -> l.down() ? "down" : l.lastSuccess() != null ? "up" : "unknown").orElse("unknown");
        String lastSuccess = link.map(LinkStore.Link::lastSuccess).map(t::time).orElse(null);
        String relative = link.map(LinkStore.Link::lastSuccess).map(x -> t.relative(x, now)).orElse(null);
        String current = link.map(LinkStore.Link::downSince).map(d -> t.t("peers.downFor", t.duration(Duration.between(d, now)), t.time(d))).orElse(null);
        // the earliest re-confirmation due among the channels shared with it
        ContactConfirmations.Status next = null;
        for (ContactConfirmations.Status st : statuses) {
            if (st.party().equals(p.origin()) && (next == null || st.due().isBefore(next.due()))) next = st;
        }
        return new PeerView.Row(pages.party(p.origin()), p.flaggedReason(), line, t.t("peers.line." + line), lastSuccess, relative,
                federation.links().outages(p.origin()).size(), current, federation.outbox().count(p.origin(), "queued"),
                federation.outbox().count(p.origin(), "failed"), next == null ? null : t.time(next.due()), next != null && next.overdue());
    }

    private void show(Context ctx, WebRoutes.Session s) {
        Texts t = s.pages().texts();
        Instant now = s.pages().now();
        String origin = ctx.pathParam("origin");
        PartyStore.Party p = node.parties().find(origin).filter(x -> !x.origin().equals(node.origin()))
                .orElseThrow(() -> new WebRoutes.WebError(404, t.t("peers.unknown.heading"), t.t("peers.unknown", origin)));
        List<ContactConfirmations.Status> statuses = contacts().status(now);
        PeerView.Row row = row(s.pages(), p, statuses);
        Optional<PartyCard> card = card(p);

        List<PeerView.Key> keys = new ArrayList<>();
        keys.add(new PeerView.Key(t.t("peers.key.card"), p.fingerprint(), true));
        card.map(PartyCard::previousKey).flatMap(PeerRoutes::fingerprint)
                .ifPresent(f -> keys.add(new PeerView.Key(t.t("peers.key.previous"), f, f.equals(p.fingerprint()))));
        List<PeerView.Channel> channels = new ArrayList<>();
        for (Charter c : node.channels().all()) {
            Optional<Charter.Member> m = c.member(origin);
            if (m.isEmpty()) continue;
            String f = m.get().key().fingerprint();
            keys.add(new PeerView.Key(t.t("peers.key.charter", c.channel()), f, f.equals(p.fingerprint())));
            channels.add(new PeerView.Channel(c.channel(), c.title(), t.t("peers.channel." + channelState(c.channel()))));
        }
        List<PeerView.Contact> contacts = card.map(c -> c.contacts().stream().map(x -> new PeerView.Contact(x.role(), x.name(), x.email(), x.phone(),
                x.hours(), x.languages() == null ? "" : String.join(", ", x.languages()))).toList()).orElse(List.of());
        List<PeerView.Reconfirmation> re = statuses.stream().filter(st -> st.party().equals(origin))
                .map(st -> new PeerView.Reconfirmation(st.channel(), t.time(st.lastConfirmed()),
                        t.t(st.how().equals("re-confirmation") ? "peers.how.reconfirmed" : "peers.how.signed"), t.time(st.due()), st.overdue())).toList();

        Optional<LinkStore.Link> link = federation.links().link(origin);
        List<LinkStore.Outage> history = federation.links().outages(origin);
        List<PeerView.Outage> outages = new ArrayList<>();
        for (LinkStore.Outage o : history.reversed()) {
            Instant end = o.endedAt() == null ? now : o.endedAt();
            outages.add(new PeerView.Outage(t.time(o.startedAt()), o.endedAt() == null ? t.t("peers.outage.ongoing") : t.time(o.endedAt()),
                    t.duration(Duration.between(o.startedAt(), end)), o.firstError(), o.endedAt() == null));
        }
        Instant to = now, from = now.minus(LINE_CHART);
        List<Charts.Down> downs = history.stream().filter(o -> o.endedAt() == null || o.endedAt().isAfter(from))
                .map(o -> new Charts.Down(o.startedAt(), o.endedAt(), o.endedAt() == null ? t.t("report.outage.ongoing", t.time(o.startedAt()))
                        : t.t("report.outage.span", t.time(o.startedAt()), t.time(o.endedAt())))).toList();
        String summary = t.t("peers.chart.summary", downs.size());
        String chart = Charts.timeline("line", t.t("peers.chart.title", origin), t.t("peers.chart.desc", origin, LINE_CHART.toDays()), from, to, now,
                List.of(new Charts.Lane(origin, origin, summary, downs)), t.t("report.lane.up"), t.t("report.lane.down"), t.t("report.chart.noPeers"), t);
        Duration total = link.map(l -> l.totalDowntime().plus(l.downSince() == null ? Duration.ZERO : Duration.between(l.downSince(), now))).orElse(Duration.ZERO);

        var model = new PeerView.Detail(s.layout(t.t("peers.peerTitle", origin), "peers", 0, null, false), row,
                federation.peerUrl(origin).orElse(card.map(PartyCard::baseUrl).orElse(null)), card.map(PartyCard::country).orElse(null),
                card.map(PartyCard::organisationKind).orElse(null),
                card.map(c -> c.validUntil() == null ? t.t("peers.card.from", stamp(c.validFrom(), t))
                        : t.t("peers.card.fromUntil", stamp(c.validFrom(), t), stamp(c.validUntil(), t)))
                        .orElse(null),
                keys, contacts, re, chart, link.map(LinkStore.Link::lastFailure).map(t::time).orElse(null), link.map(LinkStore.Link::attempts).orElse(0L),
                link.map(LinkStore.Link::failures).orElse(0L), t.duration(total), outages, channels, t.time(p.updatedAt()));
        web.render(ctx, 200, "peer.jte", model);
    }

    /** A card's RFC 3339 time in the reader's format; as written if it is not one. */
    private static String stamp(String rfc3339, Texts t) {
        try {
            return t.time(Instant.parse(rfc3339));
        } catch (RuntimeException e) {
            return rfc3339;
        }
    }

    private String channelState(String channel) {
        String state = node.channels().state(channel).orElse("unknown");
        return state.equals("active") || state.equals("proposed") ? state : "unknown";
    }

    private static Optional<PartyCard> card(PartyStore.Party p) {
        if (p.card() == null || p.card().length() <= 2) return Optional.empty();
        try {
            return Optional.of(PartyCard.fromJson(Json.parse(p.card())));
        } catch (RuntimeException e) {
            return Optional.empty(); // a card this node cannot read is shown as none
        }
    }

    private static Optional<String> fingerprint(String encodedKey) {
        try {
            return Optional.of(VerifierKey.parse(encodedKey).fingerprint());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
