package io.parley.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.practice.ContactConfirmations;
import io.parley.practice.PracticeStore;

/**
 * Points of contact kept alive: every member's standing ({@code GET /api/v1/contacts}) and our signed
 * re-confirmation to every channel ({@code POST /api/v1/contacts/confirm}, admin only).
 */
final class ContactRoutes {
    private final Node node;
    private final ContactConfirmations contacts;

    ContactRoutes(Node node) {
        this.node = node;
        this.contacts = new ContactConfirmations(node, new PracticeStore(node.db()));
    }

    void register(Javalin app) {
        app.get("/api/v1/contacts", this::list);
        app.post("/api/v1/contacts/confirm", this::confirm);
    }

    private void list(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        contacts.status(node.now()).forEach(s -> out.add(ContactConfirmations.json(s)));
        ApiRoutes.json(ctx, 200, out);
    }

    private void confirm(Context ctx) {
        // the body, if any, must be a JSON object; nothing in it can name another party: we confirm only for ourselves
        if (RequestBodies.read(ctx).length > 0) Requests.jsonObject(ctx);
        var confirmed = contacts.confirm(CaseRoutes.author(ctx));
        if (confirmed.isEmpty()) {
            throw new ProblemException(Problem.of(409, "no-channel", "Nothing to confirm to",
                    "this node is a member of no active channel, so there is no one to re-confirm its points of contact to"));
        }
        ObjectNode o = Json.object().put("party", node.origin()).put("confirmed_at", node.now().toString());
        ArrayNode cs = o.putArray("channels");
        confirmed.forEach(c -> cs.addObject().put("channel", c.channel()).put("envelope", c.envelopeHash()));
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.CONTACTS_CONFIRMED, String.join(",", confirmed.stream().map(ContactConfirmations.Confirmed::channel).toList()),
                confirmed.size() + " channel(s)");
        ApiRoutes.json(ctx, 200, o);
    }
}
