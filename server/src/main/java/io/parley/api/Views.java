package io.parley.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.json.Json;
import io.parley.store.PartyStore;
import io.parley.store.StoredEnvelope;

/** JSON views of stored things, shared by the API routes (one shape per resource). */
final class Views {
    private Views() {}

    /**
     * An envelope as the caller may see it: pass it through {@link io.parley.node.MessageAccess#view} first. A
     * withheld view says so ({@code "content_withheld": true}) and carries metadata only.
     */
    static ObjectNode envelope(StoredEnvelope s) {
        ObjectNode o = Json.object();
        o.put("hash", s.hash());
        o.put("received_at", s.receivedAt().toString());
        if (io.parley.node.MessageAccess.isWithheld(s.envelope())) o.put("content_withheld", true);
        o.set("envelope", s.envelope().toJson());
        return o;
    }

    static ObjectNode channel(Charter c, String state) {
        ObjectNode o = Json.object();
        o.put("id", c.channel());
        o.put("state", state);
        o.set("charter", c.toJson());
        o.set("commitments", NormsRoutes.commitments(c));
        return o;
    }

    static ObjectNode party(PartyStore.Party p) {
        ObjectNode o = Json.object();
        o.put("origin", p.origin());
        o.put("verifier_key", p.verifierKey());
        o.put("fingerprint", p.fingerprint());
        if (p.flaggedReason() != null) o.put("flagged", p.flaggedReason());
        o.set("card", Json.parse(p.card()));
        return o;
    }
}
