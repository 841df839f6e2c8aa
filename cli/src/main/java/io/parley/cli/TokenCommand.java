package io.parley.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.audit.AuditTrail;
import io.parley.auth.Tokens;
import io.parley.json.Json;
import io.parley.store.TokenStore;
import io.parley.store.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code parley token create|list|revoke}: bearer tokens for the API, the CLI and TAXII, through the node's API
 * (signed in with a password: a token cannot manage tokens), or with {@code --dir} on the node's own directory, for an
 * operator on the box (e.g. an admin who may not use a password on the API).
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API and TAXII bearer tokens (scoped, expiring, revocable).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: create, list or revoke");
    }

    /** The node's token store (and audit trail), opened for one offline command. */
    private interface Offline<T> {
        T run(Tokens tokens, UserStore users, AuditTrail audit) throws Exception;
    }

    private static <T> T offline(Path dir, Offline<T> action) throws Exception {
        return NodeDatabase.with(dir, (db, cfg) -> {
            UserStore users = new UserStore(db);
            return action.run(new Tokens(new TokenStore(db), users, Clock.systemUTC()), users, new AuditTrail(new io.parley.audit.AuditStore(db), Clock.systemUTC()));
        });
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token for your account (or, with --dir, for --user). Prints the secret once; the node keeps only its SHA-256.")
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--dir", paramLabel = "DIR", description = "Node directory: create offline, for the account --user, without signing in.")
        Path dir;

        @Option(names = "--label", required = true, description = "What the token is for (shown in lists and the audit trail).")
        String label;

        @Option(names = "--scope", defaultValue = "read", description = "read (reading routes only) or write (what the account may, within --channel) (default: ${DEFAULT-VALUE}).")
        String scope;

        @Option(names = "--channel", description = "A channel the token may reach; repeat for several. Default: '*' (every channel).")
        List<String> channels = new ArrayList<>();

        @Option(names = "--days", defaultValue = "90", description = "Days until it expires, 1 to 365 (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            Tokens.Scope s = Tokens.Scope.parse(scope).orElseThrow(() -> new IllegalArgumentException("--scope must be read or write"));
            if (days < 1 || days > Tokens.MAX_LIFETIME.toDays()) throw new IllegalArgumentException("--days must be from 1 to " + Tokens.MAX_LIFETIME.toDays());
            List<String> reach = channels.isEmpty() ? List.of(Tokens.ALL_CHANNELS) : channels;
            PrintWriter out = spec.commandLine().getOut();
            if (dir != null) {
                if (api.user == null) throw new IllegalArgumentException("--dir needs --user: the account that will own the token");
                Tokens.Issued issued = offline(dir, (tokens, users, audit) -> {
                    if (users.find(api.user).isEmpty()) throw new IllegalArgumentException("no enabled account '" + api.user + "' on this node");
                    Tokens.Issued i = tokens.issue(api.user, label, s, reach, Duration.ofDays(days));
                    audit.record(AuditEvent.done("cli", AuditAction.TOKEN_CREATED, i.token().id(), "cli", "for " + api.user + ": label "
                            + label + "; scope " + s.wire() + ", channels " + String.join(",", i.token().channels()) + ", expires " + i.token().expires()));
                    return i;
                });
                print(out, issued.secret(), issued.token().id(), issued.token().scope(), issued.token().channels(), issued.token().expires().toString());
                return 0;
            }
            ObjectNode body = Json.object().put("label", label).put("scope", s.wire()).put("expires_in_days", days);
            ArrayNode cs = body.putArray("channels");
            reach.forEach(cs::add);
            JsonNode t = api.client().post("/api/v1/tokens", body);
            List<String> got = new ArrayList<>();
            t.path("channels").forEach(c -> got.add(c.asText()));
            print(out, t.path("token").asText(), t.path("id").asText(), t.path("scope").asText(), got, t.path("expires_at").asText());
            return 0;
        }

        private static void print(PrintWriter out, String secret, String id, String scope, List<String> channels, String expires) {
            out.println("token: " + secret);
            out.println("id " + id + ", scope " + scope + ", channels " + String.join(",", channels) + ", expires " + expires);
            out.println("This is the only time the token is shown. Use it as PARLEY_TOKEN, --token, or 'Authorization: Bearer <token>'.");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List your tokens (an admin: everyone's; with --dir: every token on the node, or --user's). Never shows secrets.")
    static final class ListTokens implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--dir", paramLabel = "DIR", description = "Node directory: list offline.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Table t = new Table("ID", "USER", "SCOPE", "CHANNELS", "EXPIRES", "STATE", "LAST USED", "LABEL");
            if (dir != null) {
                Instant now = Instant.now();
                for (TokenStore.Token k : offline(dir, (tokens, users, audit) -> tokens.list(api.user))) {
                    String state = k.revoked().isPresent() ? "revoked" : now.isBefore(k.expires()) ? "active" : "expired";
                    t.row(k.id(), k.username(), k.scope(), String.join(",", k.channels()), k.expires().toString(), state,
                            k.lastUsed().map(Instant::toString).orElse("never"), k.label());
                }
            } else {
                for (JsonNode k : api.client().get("/api/v1/tokens")) {
                    List<String> cs = new ArrayList<>();
                    k.path("channels").forEach(c -> cs.add(c.asText()));
                    t.row(k.path("id").asText(), k.path("username").asText(), k.path("scope").asText(), String.join(",", cs),
                            k.path("expires_at").asText(), k.path("state").asText(),
                            k.path("last_used_at").isTextual() ? k.path("last_used_at").asText() : "never", k.path("label").asText());
                }
            }
            t.print(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token by its id (yours; an admin: anyone's; with --dir: any). It stops working at the next request.")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--dir", paramLabel = "DIR", description = "Node directory: revoke offline.")
        Path dir;

        @Parameters(index = "0", paramLabel = "ID", description = "The token's id (see 'parley token list').")
        String id;

        @Override
        public Integer call() throws Exception {
            if (!id.matches("[a-z0-9-]{1,40}")) throw new IllegalArgumentException("'" + id + "' is not a token id (see 'parley token list')");
            if (dir != null) {
                offline(dir, (tokens, users, audit) -> {
                    TokenStore.Token t = tokens.find(id).orElseThrow(() -> new IllegalArgumentException("no token '" + id + "' on this node"));
                    if (tokens.revoke(id, "cli")) audit.record(AuditEvent.done("cli", AuditAction.TOKEN_REVOKED, id, "cli", "owner " + t.username() + ", label " + t.label()));
                    return null;
                });
            } else {
                api.client().delete("/api/v1/tokens/" + ApiOptions.segment(id));
            }
            spec.commandLine().getOut().println("token " + id + " revoked");
            return 0;
        }
    }
}
