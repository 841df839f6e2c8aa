package io.parley.node;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body members that make a message a protocol act with its own route, checks and permission. The routes that let an
 * officer write a message body of their own (the raw message route, a case's update/answer/ack/close/retract) refuse
 * them, so nobody re-confirms the node's contacts (admin only), announces a key, signs or co-signs a joint statement,
 * withdraws evidence or attaches a courtesy translation past the checks of those acts' own routes.
 */
public final class ProtocolActs {
    /** Each reserved member and the route that does the act. */
    private static final Map<String, String> RESERVED = Map.of(
            "contacts_confirmed", "POST /api/v1/contacts/confirm",
            "card", "the node announces its own key rotation",
            "statement", "POST /api/v1/cases/{id}/statement",
            "evidence_retracted", "POST /api/v1/evidence/{sha256}/retract",
            "translation", "POST /api/v1/cases/{id}/translations");

    private ProtocolActs() {}

    /** A reserved member a hand-written body carries, and why it is refused. */
    public record Reserved(String member, String detail) {}

    /** The first reserved member in {@code body}, if any (in a fixed order, so the refusal is the same every time). */
    public static Optional<Reserved> in(JsonNode body) {
        if (body == null || !body.isObject()) return Optional.empty();
        return RESERVED.entrySet().stream().filter(e -> body.has(e.getKey())).map(Map.Entry::getKey).sorted().findFirst()
                .map(m -> new Reserved(m, m + " is a protocol act with its own route and permission: " + RESERVED.get(m)));
    }
}
