package io.parley.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.parley.auth.Permission.ChannelFrom;
import io.parley.auth.Permission.Global;
import io.parley.auth.Permission.OnChannel;
import io.parley.auth.Permission.Public;

/**
 * The one permission table: for every route the node serves ("METHOD template", API, TAXII, web UI and public), what
 * the caller needs. The HTTP server checks it before a handler runs and refuses a route missing from it; a test walks
 * every registered route and fails if one is missing here.
 */
public final class Permissions {
    private static final Public PEER = new Public("a peer's request, authenticated by its Ed25519 signature");
    private static final Public OPEN = new Public("public by design: discovery, health, transparency log");
    private static final OnChannel CHANNEL = new OnChannel(ChannelFrom.CHANNEL_PATH);
    private static final OnChannel CASE = new OnChannel(ChannelFrom.CASE_PATH);

    private static final Map<String, Permission> TABLE = new LinkedHashMap<>();
    /**
     * The {@link Global#READ} routes of the API that read one channel only (named as {@link ChannelFrom} says), so a
     * token limited to channels may use them on its channels; every other read reaches across channels.
     */
    private static final Map<String, ChannelFrom> READS_ONE_CHANNEL = Map.of(
            "GET /api/v1/channels/{id}", ChannelFrom.CHANNEL_PATH,
            "GET /api/v1/channels/{id}/envelopes", ChannelFrom.CHANNEL_PATH,
            "GET /api/v1/cases/{id}", ChannelFrom.CASE_PATH,
            "GET /api/v1/cases/{id}/evidence", ChannelFrom.CASE_PATH,
            "GET /api/v1/channels/{id}/misp-feed/{file}", ChannelFrom.CHANNEL_PATH,
            "GET /api/v1/cases", ChannelFrom.CHANNEL_QUERY,
            "GET /api/v1/reports/responsiveness", ChannelFrom.CHANNEL_QUERY,
            "GET /api/v1/reports/norms", ChannelFrom.CHANNEL_QUERY);

    static {
        // public and node-to-node
        put("GET /.well-known/parley", OPEN);
        put("GET /healthz", OPEN);
        put("GET /metrics", OPEN);
        put("GET /api/v1/openapi.json", OPEN);
        put("GET /log/checkpoint", OPEN);
        put("GET /log/tile/*", OPEN);
        put("POST /log/witness/add-checkpoint", PEER);
        put("POST /federation/v1/inbox", PEER);
        put("GET /federation/v1/channels/{channel}/envelopes", PEER);
        put("GET /federation/v1/evidence/{sha256}", PEER);
        put("GET /ui/parley.css", new Public("the web UI's style sheet"));
        put("GET /ui/desk.js", new Public("the web UI's script: the desk's in-place refresh"));

        // API: reading
        for (String path : new String[] {"/api/v1/node", "/api/v1/parties", "/api/v1/channels", "/api/v1/channels/{id}",
                "/api/v1/channels/{id}/envelopes", "/api/v1/envelopes/{hash}", "/api/v1/rejections", "/api/v1/equivocations",
                "/api/v1/peers", "/api/v1/envelopes/{hash}/deliveries", "/api/v1/log", "/api/v1/log/proof/inclusion",
                "/api/v1/log/proof/consistency", "/api/v1/envelopes/{hash}/receipt", "/api/v1/witness/conflicts",
                "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/evidence", "/api/v1/reports/responsiveness",
                "/api/v1/evidence/{sha256}", "/api/v1/evidence/{sha256}/misp", "/api/v1/evidence/{sha256}/iodef",
                "/api/v1/channels/{id}/misp-feed/{file}",
                "/api/v1/correlations/indicator", "/api/v1/cases/{id}/correlations", "/api/v1/evidence-mismatches",
                "/api/v1/reason-codes", "/api/v1/commitments", "/api/v1/taxonomy", "/api/v1/reports/norms"}) {
            put("GET " + path, Global.READ);
        }
        // API: acting
        put("POST /api/v1/channels", Global.PROPOSE_CHANNELS);
        put("POST /api/v1/channels/{id}/sign", CHANNEL);
        put("POST /api/v1/channels/{id}/amend", CHANNEL);
        put("POST /api/v1/channels/{id}/messages", CHANNEL);
        put("POST /api/v1/channels/{id}/cases", CHANNEL);
        put("POST /api/v1/channels/{id}/ping", CHANNEL);
        put("POST /api/v1/cases/{id}/{action}", CASE);
        put("POST /api/v1/cases/{id}/statement", CASE);
        put("POST /api/v1/cases/{id}/statement/{hash}/cosign", CASE);
        put("POST /api/v1/cases/{id}/translations", CASE);
        put("POST /api/v1/peers", Global.MANAGE_PEERS);
        put("POST /api/v1/peers/{origin}/refresh", Global.MANAGE_PEERS);
        put("POST /api/v1/evidence", Global.UPLOAD_EVIDENCE);
        put("POST /api/v1/evidence/misp", Global.UPLOAD_EVIDENCE);
        put("POST /api/v1/evidence/{sha256}/retract", Global.UPLOAD_EVIDENCE);
        put("POST /api/v1/taxii/tokens", Global.ISSUE_TOKENS); // retired: answers 410 and points to /api/v1/tokens
        // tokens: one's own (an admin: everyone's); a token never manages tokens (Tokens.scopeRefusal)
        put("POST /api/v1/tokens", Global.ISSUE_TOKENS);
        put("GET /api/v1/tokens", Global.ISSUE_TOKENS);
        put("DELETE /api/v1/tokens/{id}", Global.ISSUE_TOKENS);
        put("GET /api/v1/red-grants", Global.GRANT_RED);
        put("PUT /api/v1/red-grants/{username}", Global.GRANT_RED);
        put("GET /api/v1/audit", Global.READ_AUDIT);
        put("GET /api/v1/contacts", Global.READ);
        put("POST /api/v1/contacts/confirm", Global.CONFIRM_CONTACTS);

        // TAXII 2.1
        for (String path : new String[] {"/taxii2/", "/taxii2/api/", "/taxii2/api/collections/", "/taxii2/api/collections/{id}/",
                "/taxii2/api/collections/{id}/objects/", "/taxii2/api/collections/{id}/objects/{object}/",
                "/taxii2/api/collections/{id}/objects/{object}/versions/", "/taxii2/api/collections/{id}/manifest/",
                "/taxii2/api/status/{status}/"}) {
            put("GET " + path, Global.READ);
        }
        put("POST /taxii2/api/collections/{id}/objects/", Global.UPLOAD_EVIDENCE);

        // web UI
        for (String path : new String[] {"/", "/cases/{id}", "/cases/{id}/{action}", "/channels/{id}", "/channels/{id}/cases/new",
                "/channels/{id}/{action}", "/cases/{id}/evidence", "/channels/{id}/report.csv"}) {
            put("GET " + path, Global.READ);
        }
        // evidence and verification pages: reads, as the API's evidence reads and exports (the marking policy decides what
        // shows); verifying an uploaded bundle stores and changes nothing, so any signed-in role may
        put("GET /cases/{id}/bundle", Global.READ);
        put("GET /evidence/{sha256}/{format}", Global.READ);
        put("GET /verify", Global.READ);
        put("POST /verify", Global.READ);
        put("POST /cases/{id}/{action}", CASE);
        put("POST /cases/{id}/statement", CASE);
        put("POST /cases/{id}/evidence/retract", CASE);
        put("POST /cases/{id}/statement/{hash}/cosign", CASE);
        put("POST /cases/{id}/translations", CASE);
        put("POST /channels/{id}/cases", CHANNEL);
        put("POST /channels/{id}/sign", CHANNEL);
        put("POST /channels/{id}/ping", CHANNEL);
        put("GET /users", Global.MANAGE_USERS);
        put("POST /users", Global.MANAGE_USERS);
        put("POST /users/{name}/disable", Global.MANAGE_USERS);
        // web sign-in: the form and its two steps are for callers without a session (the code step needs the
        // half-signed-in session of a correct password); signing out and one's own second factor need a session
        put("GET /login", new Public("the sign-in form"));
        put("POST /login", new Public("sign-in: a correct password starts a session (or its second step)"));
        put("GET /login/code", new Public("second sign-in step: shown only to the half-signed-in session of a correct password"));
        put("POST /login/code", new Public("second sign-in step: checks a TOTP or recovery code for the half-signed-in session"));
        put("POST /logout", Global.OWN_ACCOUNT);
        put("GET /account", Global.OWN_ACCOUNT);
        put("POST /account/language", Global.OWN_ACCOUNT);
        put("POST /account/totp", Global.OWN_ACCOUNT);
        put("POST /account/totp/confirm", Global.OWN_ACCOUNT);
        put("POST /account/totp/remove", Global.OWN_ACCOUNT);
        put("POST /account/tokens", Global.ISSUE_TOKENS);
        put("POST /account/tokens/{id}/revoke", Global.OWN_ACCOUNT);
        put("GET /audit", Global.READ_AUDIT);
        put("POST /account/contacts/confirm", Global.CONFIRM_CONTACTS);
        // the report, peers and admin pages (web UI, issue 14): reading is everyone's; the admin hub is admins'
        put("GET /reports", Global.READ);
        put("GET /peers", Global.READ);
        put("GET /peers/{origin}", Global.READ);
        put("GET /admin", Global.MANAGE_USERS);
        put("POST /admin/tokens/{id}/revoke", Global.MANAGE_USERS);
    }

    private Permissions() {}

    private static void put(String route, Permission p) {
        if (TABLE.put(route, p) != null) throw new IllegalStateException("declared twice: " + route);
    }

    /** What {@code method} on the route {@code template} needs; empty if the route was never declared. */
    public static Optional<Permission> required(String method, String template) {
        return Optional.ofNullable(TABLE.get(method + " " + template));
    }

    /** Where a {@link Global#READ} route on {@code template} names the one channel it reads; empty if it reads across channels. */
    public static Optional<ChannelFrom> readChannel(String template) {
        return Optional.ofNullable(READS_ONE_CHANNEL.get("GET " + template));
    }

    /** The whole table, "METHOD template" to permission, in declaration order. */
    public static Map<String, Permission> table() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }

    /** The sentence a refusal carries: what was asked, and what the account lacks. */
    public static String refusal(String username, Role role, Permission p, String channel) {
        return switch (p) {
            case OnChannel on -> "account '" + username + "' (" + role.wire() + ") may not act on channel '" + channel
                    + "'" + (role == Role.OFFICER ? ": it is not among the channels granted to it" : "");
            case Global g -> "account '" + username + "' (" + role.wire() + ") lacks the permission "
                    + g.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " this request needs";
            case Public pub -> "";
        };
    }
}
