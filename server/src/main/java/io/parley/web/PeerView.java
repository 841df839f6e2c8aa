package io.parley.web;

import java.util.List;

import io.parley.web.WebModel.Layout;
import io.parley.web.WebModel.Party;

/** What the peers pages ({@code /peers}, {@code /peers/{origin}}) show: plain, formatted values. */
public final class PeerView {
    private PeerView() {}

    /** line: up, down or unknown (the stylesheet's class; {@code lineLabel} is its word in the reader's language). */
    public record Row(Party party, String flagged, String line, String lineLabel, String lastSuccess, String lastSuccessRelative, int outages,
                      String currentOutage, long queued, long failed, String contactsDue, boolean contactsOverdue) {
        public String href() {
            return "/peers/" + Fmt.path(party.origin());
        }
    }

    public record List_(Layout layout, List<Row> peers) {}

    public record Contact(String role, String name, String email, String phone, String hours, String languages) {}

    /** A key this node knows for the peer: where it is named (the card, a charter), its fingerprint, and whether it is current. */
    public record Key(String where, String fingerprint, boolean current) {}

    public record Reconfirmation(String channel, String lastConfirmed, String how, String due, boolean overdue) {}

    public record Outage(String from, String to, String length, String error, boolean ongoing) {}

    public record Channel(String id, String title, String state) {}

    /**
     * One peer. card*: its signed party card as this node holds it (null fields when it holds none); keys: the card's
     * key, the key it handed over from, and each charter's; line*: this node's record of its deliveries to the peer.
     */
    public record Detail(Layout layout, Row row, String baseUrl, String country, String organisationKind, String cardValid, List<Key> keys,
                         List<Contact> contacts, List<Reconfirmation> reconfirmations, String lineChart, String lastFailure, long attempts,
                         long failures, String totalDowntime, List<Outage> outages, List<Channel> channels, String updatedAt) {}
}
