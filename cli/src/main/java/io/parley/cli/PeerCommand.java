package io.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parley.verifier.CliErrors;

/** Peering through your own node's API: add a peer with a pinned fingerprint, list peers and their lines, refresh cards. */
@Command(name = "peer", mixinStandardHelpOptions = true, description = "Manage the peers your node trusts (through its API).",
        subcommands = {PeerCommand.Add.class, PeerCommand.ListCmd.class, PeerCommand.Refresh.class, PeerCommand.ConfirmContacts.class})
final class PeerCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: add, list, refresh");
    }

    /** The form of a key fingerprint: SHA256: and 43 characters of unpadded base64. */
    static final String FINGERPRINT = "SHA256:[A-Za-z0-9+/]{43}";

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Trust a peer's key and record its party card at your node.",
                    "Without --fingerprint, shows the peer's card and key fingerprint and asks you to confirm it after comparing it with "
                            + "the peer out of band (phone, in person); the fingerprint you confirm is pinned, so your node refuses any other key "
                            + "it may be shown. With --fingerprint, your node checks the peer's key against it (a mismatch is refused)."})
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "URL", description = "Base URL of the peer's node, e.g. https://parley.cert-b.example.")
        String peerUrl;

        @Option(names = "--fingerprint", paramLabel = "SHA256:...", description = "The key fingerprint you compared with the peer out of band.")
        String fingerprint;

        @Option(names = "--yes", description = "Do not ask (for scripts); only together with --fingerprint.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            if (yes && fingerprint == null) {
                throw new ParameterException(spec.commandLine(), "--yes needs --fingerprint: a new peer's key is trusted only after its fingerprint was compared out of band");
            }
            if (!peerUrl.startsWith("http://") && !peerUrl.startsWith("https://")) {
                throw new ParameterException(spec.commandLine(), "URL must start with http:// or https:// (got '" + peerUrl + "')");
            }
            if (fingerprint != null) {
                fingerprint = fingerprint.strip();
                if (!fingerprint.matches(FINGERPRINT)) {
                    throw new ParameterException(spec.commandLine(), "--fingerprint must look like SHA256: followed by 43 base64 characters (got '" + fingerprint + "')");
                }
            }
            ApiClient client = api.client();
            PrintWriter out = spec.commandLine().getOut();
            String pinned = fingerprint;
            if (pinned == null) {
                client.get("/api/v1/node"); // fail on a wrong --url or password before asking a human anything
                PartyCard card = fetchCard(peerUrl, api.ca);
                show(card, out);
                out.print("Compare this fingerprint with " + card.origin() + " out of band. Trust it? [y/N] ");
                out.flush();
                String answer = Terminal.readLine();
                if (!Terminal.confirmed(answer)) {
                    if (answer == null) out.println();
                    out.flush();
                    throw new IllegalStateException("not trusted: " + card.origin() + " was not added");
                }
                pinned = card.fingerprint();
            }
            JsonNode res = client.post("/api/v1/peers", Json.object().put("url", peerUrl).put("fingerprint", pinned));
            out.println("peer added: " + res.path("origin").asText() + " at " + res.path("base_url").asText(peerUrl));
            out.println("fingerprint: " + res.path("fingerprint").asText());
            return 0;
        }

        /** Reads the peer's public card ourselves, so the human compares what we checked, not what the node says it saw. */
        static PartyCard fetchCard(String url, java.nio.file.Path ca) throws IOException, InterruptedException {
            String base = url.replaceAll("/+$", "");
            HttpResponse<byte[]> res;
            try {
                HttpClient http = ApiOptions.http(ca).followRedirects(HttpClient.Redirect.NEVER).build();
                // A card is a few KiB: a host answering more is cut off, not read into memory.
                res = io.parley.federation.CappedResponses.send(http, HttpRequest.newBuilder(URI.create(base + "/.well-known/parley")).timeout(Duration.ofSeconds(15))
                        .header("Accept", "application/json").GET().build(), 256 * 1024, Duration.ofSeconds(30));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad URL " + url);
            } catch (java.net.ConnectException e) {
                throw new IOException("cannot connect to " + base + " to read its party card");
            } catch (java.net.http.HttpTimeoutException e) {
                throw new IOException(base + " did not answer in time");
            }
            if (res.statusCode() != 200) throw new IOException(base + "/.well-known/parley answered HTTP " + res.statusCode() + "; is this a Parley node?");
            PartyCard card;
            try {
                card = PartyCard.fromJson(Json.parse(res.body()));
            } catch (IllegalArgumentException e) {
                throw new IOException("the party card at " + base + " is not valid: " + CliErrors.oneLine(e));
            }
            if (!card.verifies()) throw new IOException("the party card at " + base + " is not signed by the key it names; do not trust it");
            return card;
        }

        static void show(PartyCard card, PrintWriter out) {
            out.println("origin:        " + card.origin());
            out.println("display name:  " + card.displayName());
            out.println("organisation:  " + card.organisationKind());
            out.println("country:       " + (card.country() == null ? "-" : card.country()));
            out.println("base URL:      " + card.baseUrl());
            if (card.contacts().isEmpty()) out.println("contacts:      -");
            for (int i = 0; i < card.contacts().size(); i++) {
                out.println((i == 0 ? "contacts:      " : "               ") + contact(card.contacts().get(i)));
            }
            if (!card.validAt(Instant.now())) {
                out.println("validity:      NOT VALID NOW (valid from " + card.validFrom() + (card.validUntil() == null ? "" : " until " + card.validUntil()) + ")");
            }
            if (card.previousKey() != null) {
                String prev;
                try {
                    VerifierKey p = VerifierKey.parse(card.previousKey());
                    prev = p.fingerprint() + (card.rotatedFrom(p) ? " (hand-over signature verifies)" : " (hand-over signature DOES NOT verify)");
                } catch (IllegalArgumentException e) {
                    prev = "unreadable (" + CliErrors.oneLine(e) + ")";
                }
                out.println("previous key:  " + prev);
            }
            out.println("fingerprint:   " + card.fingerprint());
        }

        private static String contact(PartyCard.Contact c) {
            StringBuilder sb = new StringBuilder(c.role()).append(": ").append(c.name());
            if (c.email() != null) sb.append(" <").append(c.email()).append('>');
            if (c.phone() != null) sb.append(", ").append(c.phone());
            if (c.hours() != null) sb.append(", ").append(c.hours());
            if (!c.languages().isEmpty()) sb.append(", ").append(String.join("/", c.languages()));
            return sb.toString();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List your node's peers: key fingerprint, state of the line, outages, queued and failed deliveries, flags.")
    static final class ListCmd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            JsonNode peers = api.client().get("/api/v1/peers");
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, peers)) return 0;
            if (peers.isEmpty()) {
                out.println("no peers yet; add one with 'parley peer add URL'");
                return 0;
            }
            Table t = new Table("ORIGIN", "FINGERPRINT", "LINE", "LAST SUCCESS", "DOWN SINCE", "DOWNTIME", "QUEUED", "FAILED", "FLAGGED", "CONTACTS");
            for (JsonNode p : peers) {
                JsonNode line = p.path("line");
                t.row(p.path("origin").asText(), p.path("fingerprint").asText(),
                        line.isMissingNode() ? "unused" : line.path("state").asText(),
                        Table.time(line.path("last_success").asText(null)),
                        Table.time(line.path("down_since").asText(null)),
                        line.isMissingNode() ? null : Table.duration(line.path("total_downtime_seconds").asDouble()),
                        p.path("queued").asText("0"), p.path("failed").asText("0"), p.path("flagged").asText(null), contacts(p.path("contacts")));
            }
            t.print(out);
            return 0;
        }
    }

    /** "OVERDUE since T (channel)" for the first channel where the peer is overdue, else when it is next due, else nothing. */
    static String contacts(JsonNode standing) {
        for (JsonNode s : standing) {
            if (s.path("overdue").asBoolean()) return "OVERDUE since " + Table.time(s.path("overdue_since").asText()) + " (" + s.path("channel").asText() + ")";
        }
        for (JsonNode s : standing) return "due " + Table.time(s.path("due").asText());
        return null;
    }

    @Command(name = "confirm-contacts", mixinStandardHelpOptions = true,
            description = {"Re-confirm your node's points of contact (as on its signed party card) to every channel it is a member of.",
                    "Each channel gets a signed update; charters with contacts_reconfirm count the next period from it. Needs an admin account."})
    static final class ConfirmContacts implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            JsonNode res = api.client().post("/api/v1/contacts/confirm", Json.object());
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, res)) return 0;
            for (JsonNode c : res.path("channels")) out.println("confirmed to " + c.path("channel").asText() + ": envelope " + c.path("envelope").asText());
            out.println("points of contact of " + res.path("party").asText() + " re-confirmed at " + res.path("confirmed_at").asText());
            return 0;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = {"Have your node re-read a known peer's card from its published address, e.g. after the peer rotated its key.",
                    "A new key is accepted only with a hand-over signature by the key your node knew."})
    static final class Refresh implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ORIGIN", description = "The peer's origin, e.g. cert-b.example.")
        String origin;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            ApiClient client = api.client();
            String before = null;
            for (JsonNode p : client.get("/api/v1/peers")) {
                if (p.path("origin").asText().equals(origin)) before = p.path("fingerprint").asText(null);
            }
            JsonNode res = client.post("/api/v1/peers/" + ApiOptions.segment(origin) + "/refresh", Json.object());
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, res)) return 0;
            String now = res.path("fingerprint").asText();
            if (before == null || before.equals(now)) {
                out.println("refreshed " + res.path("origin").asText(origin) + ": key unchanged");
            } else {
                out.println("refreshed " + res.path("origin").asText(origin) + ": key rotated from " + before + " (hand-over signature verified)");
            }
            out.println("fingerprint: " + now);
            return 0;
        }
    }
}
