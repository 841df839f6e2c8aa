package io.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.time.LocalTime;
import java.time.DayOfWeek;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.charter.Level;
import io.parley.charter.Practice;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.KeyNames;
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

/** Channels under charters, through your own node's API: list, show, propose, sign, amend. */
@Command(name = "channel", mixinStandardHelpOptions = true, description = "Propose, sign, amend and inspect channels (through your node's API).",
        subcommands = {ChannelCommand.ListCmd.class, ChannelCommand.Show.class, ChannelCommand.Propose.class, ChannelCommand.Sign.class,
                ChannelCommand.Amend.class})
final class ChannelCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: list, show, propose, sign, amend");
    }

    private static String path(String id) {
        return "/api/v1/channels/" + ApiOptions.segment(id);
    }

    private static List<String> origins(JsonNode charter) {
        List<String> out = new ArrayList<>();
        charter.path("members").forEach(m -> out.add(m.path("origin").asText()));
        return out;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the channels your node belongs to or was invited to.")
    static final class ListCmd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            JsonNode channels = api.client().get("/api/v1/channels");
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, channels)) return 0;
            if (channels.isEmpty()) {
                out.println("no channels yet; propose one with 'parley channel propose'");
                return 0;
            }
            Table t = new Table("ID", "STATE", "LEVEL", "TLP CEILING", "MEMBERS", "TITLE");
            for (JsonNode c : channels) {
                JsonNode ch = c.path("charter");
                t.row(c.path("id").asText(), c.path("state").asText(), ch.path("level").asText(), ch.path("tlp_ceiling").asText(),
                        String.join(",", origins(ch)), ch.path("title").asText());
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a channel's terms, its members and their key fingerprints, its state and who has yet to sign.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Channel id.")
        String id;

        @Mixin JsonOption json;

        @Option(names = "--charter", description = "Print only the charter in force as JSON (a starting point for 'parley channel amend').")
        boolean charterOnly;

        @Override
        public Integer call() throws Exception {
            if (json.json && charterOnly) throw new ParameterException(spec.commandLine(), "--json and --charter exclude each other");
            ApiClient client = api.client();
            JsonNode view = client.get(path(id));
            PrintWriter out = spec.commandLine().getOut();
            if (json.printed(out, view)) return 0;
            JsonNode ch = view.path("charter");
            if (charterOnly) {
                out.println(Json.pretty(ch));
                return 0;
            }
            String self = client.get("/api/v1/node").path("origin").asText();
            Map<String, JsonNode> known = new HashMap<>();
            for (JsonNode p : client.get("/api/v1/parties")) known.put(p.path("origin").asText(), p);

            out.println("channel:      " + view.path("id").asText());
            out.println("title:        " + ch.path("title").asText());
            out.println("state:        " + view.path("state").asText());
            out.println("level:        " + ch.path("level").asText());
            out.println("TLP ceiling:  " + ch.path("tlp_ceiling").asText());
            out.println("members:");
            Table members = new Table("  ORIGIN", "FINGERPRINT (CHARTER)", "NOTE");
            for (JsonNode m : ch.path("members")) members.row("  " + m.path("origin").asText(), fingerprint(m.path("verifier_key").asText()),
                    memberNote(m, self, known));
            members.print(out);
            out.println("deadlines:");
            Table deadlines = new Table("  PRIORITY", "ACK", "ANSWER");
            for (Priority p : Priority.values()) {
                JsonNode d = ch.path("deadlines").path(p.wire());
                deadlines.row("  " + p.wire(), d.path("ack").asText() + " (" + Table.duration(d.path("ack").asText()) + ")",
                        d.path("answer").asText() + " (" + Table.duration(d.path("answer").asText()) + ")");
            }
            deadlines.print(out);
            if (ch.path("escalation").isEmpty()) {
                out.println("escalation:   -");
            } else {
                out.println("escalation:");
                for (JsonNode r : ch.path("escalation")) {
                    out.println("  after " + r.path("after").asText() + ": " + r.path("role").asText()
                            + (r.hasNonNull("contact") ? " (" + r.path("contact").asText() + ")" : ""));
                }
            }
            if (view.path("commitments").isEmpty()) {
                out.println("commitments:  -");
            } else {
                out.println("commitments:");
                for (JsonNode c : view.path("commitments")) out.println("  " + c.path("id").asText() + ": " + c.path("title").asText());
            }
            Signatures sigs = Signatures.read(client, id);
            Charter current = Charter.fromJson(ch);
            String currentHash = current.hash();
            boolean active = "active".equals(view.path("state").asText());
            if (active) {
                out.println("signatures:   all members signed these terms");
            } else {
                out.println("signatures:   " + sigs.summary(current, currentHash));
                if (!sigs.signed(currentHash, self) && current.member(self).isPresent()) out.println("to sign:      parley channel sign " + id);
            }
            sigs.pendingAmendment(currentHash).ifPresent(a -> {
                out.println("pending amendment " + a.hash().substring(0, 16) + "…: \"" + a.charter().title() + "\", members "
                        + String.join(",", a.charter().members().stream().map(Charter.Member::origin).toList()) + ", TLP ceiling "
                        + a.charter().tlpCeiling().wire());
                out.println("              " + sigs.summary(a.charter(), a.hash()));
                if (!sigs.signed(a.hash(), self) && a.charter().member(self).isPresent()) out.println("to sign:      parley channel sign " + id);
            });
            return 0;
        }

        private static String fingerprint(String vkey) {
            try {
                return VerifierKey.parse(vkey).fingerprint();
            } catch (IllegalArgumentException e) {
                return "unreadable key";
            }
        }

        private static String memberNote(JsonNode m, String self, Map<String, JsonNode> known) {
            String origin = m.path("origin").asText();
            String charterKey = m.path("verifier_key").asText();
            JsonNode p = known.get(origin);
            List<String> notes = new ArrayList<>();
            if (origin.equals(self)) notes.add("this node");
            if (p == null) {
                notes.add("not a known peer");
            } else if (!p.path("verifier_key").asText().equals(charterKey)) {
                notes.add("now presents " + p.path("fingerprint").asText() + " (rotated)");
            } else if (!origin.equals(self)) {
                notes.add("known peer");
            }
            if (p != null && p.hasNonNull("flagged")) notes.add("FLAGGED: " + p.path("flagged").asText());
            return String.join("; ", notes);
        }
    }

    /** Who signed which terms, read from the channel's charter envelopes (a proposal or amendment counts as its sender's signature). */
    record Signatures(Map<String, Set<String>> signers, Map<String, Charter> terms, List<String> amendments) {
        record Amendment(String hash, Charter charter) {}

        static Signatures read(ApiClient client, String id) throws IOException, InterruptedException {
            Map<String, Set<String>> signers = new HashMap<>();
            Map<String, Charter> terms = new HashMap<>();
            List<String> amendments = new ArrayList<>();
            long after = 0;
            while (true) {
                JsonNode page = client.get(path(id) + "/envelopes?after=" + after + "&limit=1000");
                for (JsonNode s : page) {
                    after = Math.max(after, s.path("id").asLong());
                    JsonNode e = s.path("envelope");
                    if (!"charter".equals(e.path("kind").asText())) continue;
                    JsonNode body = e.path("body");
                    String action = body.path("action").asText();
                    String hash;
                    try {
                        if (action.equals("sign")) {
                            hash = body.path("charter_hash").asText();
                        } else {
                            Charter c = Charter.fromJson(body.get("charter"));
                            hash = c.hash();
                            terms.put(hash, c);
                            if (action.equals("amend")) amendments.add(hash);
                        }
                    } catch (IllegalArgumentException ex) {
                        continue;
                    }
                    signers.computeIfAbsent(hash, h -> new TreeSet<>()).add(e.path("from").asText());
                }
                if (page.size() < 1000) break;
            }
            return new Signatures(signers, terms, amendments);
        }

        boolean signed(String hash, String origin) {
            return signers.getOrDefault(hash, Set.of()).contains(origin);
        }

        String summary(Charter c, String hash) {
            Set<String> have = signers.getOrDefault(hash, Set.of());
            List<String> missing = c.members().stream().map(Charter.Member::origin).filter(o -> !have.contains(o)).toList();
            List<String> signed = c.members().stream().map(Charter.Member::origin).filter(have::contains).toList();
            return "signed by " + (signed.isEmpty() ? "nobody yet" : String.join(", ", signed))
                    + (missing.isEmpty() ? "; complete" : "; awaiting " + String.join(", ", missing));
        }

        /** The newest amendment that is not the charter in force and not yet signed by all its members. */
        java.util.Optional<Amendment> pendingAmendment(String currentHash) {
            for (int i = amendments.size() - 1; i >= 0; i--) {
                String h = amendments.get(i);
                if (h.equals(currentHash)) return java.util.Optional.empty();
                Charter c = terms.get(h);
                Set<String> have = signers.getOrDefault(h, Set.of());
                if (c.members().stream().allMatch(m -> have.contains(m.origin()))) return java.util.Optional.empty();
                return java.util.Optional.of(new Amendment(h, c));
            }
            return java.util.Optional.empty();
        }
    }

    @Command(name = "propose", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Propose a new channel: your node signs the charter and sends it to the other members, who each sign it "
                    + "('parley channel sign ID'); it becomes active when all members have signed.",
                    "Either give the charter as a JSON file (--file), or build it with --id, --level, --member and --tlp-ceiling: members "
                            + "must be peers your node knows ('parley peer add'); their keys and addresses are taken from the cards your node "
                            + "holds, and your node is always a member."})
    static final class Propose implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--file", paramLabel = "FILE", description = "Charter JSON file (the form 'parley channel show ID --charter' prints).")
        Path file;

        @Option(names = "--id", paramLabel = "ID", description = "Channel id: no spaces or '+', at most 200 characters.")
        String id;

        @Option(names = "--title", paramLabel = "TITLE", description = "Human title of the channel (default: the id).")
        String title;

        @Option(names = "--level", paramLabel = "LEVEL", description = "technical, operational or political.")
        String level;

        @Option(names = "--member", paramLabel = "ORIGIN", description = "Another member's origin; repeatable (your node is added itself).")
        List<String> members = new ArrayList<>();

        @Option(names = "--tlp-ceiling", paramLabel = "TLP", description = "Most restrictive TLP label allowed: clear, green, amber, amber+strict or red.")
        String tlpCeiling;

        @Option(names = "--ack-flash", defaultValue = "PT15M", paramLabel = "DURATION", description = "Time to acknowledge a flash message (ISO 8601; default: ${DEFAULT-VALUE}).")
        String ackFlash;

        @Option(names = "--answer-flash", defaultValue = "PT4H", paramLabel = "DURATION", description = "Time to answer a flash message (ISO 8601; default: ${DEFAULT-VALUE}).")
        String answerFlash;

        @Option(names = "--ack-urgent", defaultValue = "PT2H", paramLabel = "DURATION", description = "Time to acknowledge an urgent message (ISO 8601; default: ${DEFAULT-VALUE}).")
        String ackUrgent;

        @Option(names = "--answer-urgent", defaultValue = "PT24H", paramLabel = "DURATION", description = "Time to answer an urgent message (ISO 8601; default: ${DEFAULT-VALUE}).")
        String answerUrgent;

        @Option(names = "--ack-routine", defaultValue = "PT24H", paramLabel = "DURATION", description = "Time to acknowledge a routine message (ISO 8601; default: ${DEFAULT-VALUE}).")
        String ackRoutine;

        @Option(names = "--answer-routine", defaultValue = "P5D", paramLabel = "DURATION", description = "Time to answer a routine message (ISO 8601; default: ${DEFAULT-VALUE}).")
        String answerRoutine;

        @Option(names = "--rung", paramLabel = "AFTER=ROLE[;CONTACT]",
                description = "An escalation step: when a deadline is missed by AFTER (ISO 8601, e.g. PT1H), notify ROLE; repeatable, in order.")
        List<String> rungs = new ArrayList<>();

        @Option(names = "--ping-exercise", paramLabel = "WHEN",
                description = "A scheduled ping exercise, e.g. \"monday 10:00 human\" or \"day 09:30 auto\" (UTC; mode human or auto, default human); repeatable.")
        List<String> pingExercises = new ArrayList<>();

        @Option(names = "--contacts-reconfirm", paramLabel = "DURATION",
                description = "How often each member re-confirms its points of contact (ISO 8601, e.g. P182D for about six months).")
        String contactsReconfirm;

        @Option(names = "--commitment", paramLabel = "ID",
                description = "A commitment the members subscribe to: a catalogue id (un-gge-2015:13f, osce-cbm:3, budapest:29; the list: GET /api/v1/commitments) "
                        + "or free:NAME=TEXT for one of your own; repeatable.")
        List<String> commitments = new ArrayList<>();

        @Option(names = "--dry-run", description = "Print the charter JSON and send nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            boolean built = id != null || title != null || level != null || !members.isEmpty() || tlpCeiling != null || !rungs.isEmpty() || !commitments.isEmpty()
                    || !pingExercises.isEmpty() || contactsReconfirm != null;
            if (file != null && built) {
                throw new ParameterException(spec.commandLine(), "give either --file or --id/--title/--level/--member/--tlp-ceiling/--rung/--commitment, not both");
            }
            ApiClient client = api.client();
            ObjectNode charter;
            if (file != null) {
                charter = readCharter(file, null);
            } else {
                if (id == null) throw new ParameterException(spec.commandLine(), "either --file or --id (with --level, --member and --tlp-ceiling) is required");
                charter = build(client);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (dryRun) {
                out.println(Json.pretty(charter));
                return 0;
            }
            JsonNode res = client.post("/api/v1/channels", charter);
            String self = client.get("/api/v1/node").path("origin").asText();
            List<String> others = origins(res.path("charter")).stream().filter(o -> !o.equals(self)).toList();
            out.println("proposed channel " + res.path("id").asText() + " (" + res.path("charter").path("title").asText() + "), state "
                    + res.path("state").asText());
            out.println("proposal envelope: " + res.path("proposal").asText());
            out.println("awaiting the signatures of " + String.join(", ", others) + " (each runs: parley channel sign " + res.path("id").asText() + ")");
            return 0;
        }

        private ObjectNode build(ApiClient client) throws IOException, InterruptedException {
            if (!KeyNames.isValid(id) || id.length() > 200) throw usage("--id must be an identifier without spaces or '+', at most 200 characters (got '" + id + "')");
            if (level == null) throw usage("--level is required: technical, operational or political");
            Level lvl = Level.fromWire(level).orElseThrow(() -> usage("--level must be technical, operational or political (got '" + level + "')"));
            if (tlpCeiling == null) throw usage("--tlp-ceiling is required: clear, green, amber, amber+strict or red");
            Tlp tlp = Tlp.fromWire(tlpCeiling).orElseThrow(() -> usage("--tlp-ceiling must be clear, green, amber, amber+strict or red (got '" + tlpCeiling + "')"));
            if (members.isEmpty()) throw usage("--member is required: at least one other party's origin");
            Map<Priority, Charter.Deadlines> deadlines = new EnumMap<>(Priority.class);
            deadlines.put(Priority.FLASH, new Charter.Deadlines(duration("--ack-flash", ackFlash), duration("--answer-flash", answerFlash)));
            deadlines.put(Priority.URGENT, new Charter.Deadlines(duration("--ack-urgent", ackUrgent), duration("--answer-urgent", answerUrgent)));
            deadlines.put(Priority.ROUTINE, new Charter.Deadlines(duration("--ack-routine", ackRoutine), duration("--answer-routine", answerRoutine)));
            List<Charter.Rung> ladder = new ArrayList<>();
            for (String r : rungs) ladder.add(rung(r));

            JsonNode self = client.get("/api/v1/node");
            Map<String, JsonNode> known = new LinkedHashMap<>();
            for (JsonNode p : client.get("/api/v1/parties")) known.put(p.path("origin").asText(), p);
            String selfOrigin = self.path("origin").asText();
            List<Charter.Member> ms = new ArrayList<>();
            ms.add(new Charter.Member(selfOrigin, VerifierKey.parse(self.path("verifier_key").asText()), textOrNull(self.path("card").path("base_url"))));
            Set<String> seen = new LinkedHashSet<>(List.of(selfOrigin));
            for (String origin : members) {
                if (!seen.add(origin)) continue;
                JsonNode p = known.get(origin);
                if (p == null) throw new IllegalArgumentException(origin + " is not a known peer of your node: add it with 'parley peer add URL' first");
                if (p.hasNonNull("flagged")) throw new IllegalArgumentException(origin + " is flagged at your node (" + p.path("flagged").asText() + "); not proposing a channel with it");
                ms.add(new Charter.Member(origin, VerifierKey.parse(p.path("verifier_key").asText()), textOrNull(p.path("card").path("base_url"))));
            }
            List<Practice.PingExercise> pings = new ArrayList<>();
            for (String p : pingExercises) pings.add(pingExercise(p));
            Duration reconfirm = contactsReconfirm == null ? null : duration("--contacts-reconfirm", contactsReconfirm);
            Charter c = new Charter(id, title != null ? title : id, lvl, ms, deadlines, tlp, ladder);
            if (!commitments.isEmpty() || reconfirm != null || !pings.isEmpty()) c = c.withPractice(new Practice(null, commitments(), reconfirm, pings));
            return c.toJson();
        }

        /** "monday 10:00 human", "day 09:30 auto" or "friday 16:00" (human): a ping exercise at a UTC time. */
        private Practice.PingExercise pingExercise(String text) {
            String[] parts = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
            String usage = "--ping-exercise must be 'DAY HH:MM [human|auto]' with DAY a weekday or 'day' (every day), e.g. 'monday 10:00 human' (got '" + text + "')";
            if (parts.length < 2 || parts.length > 3) throw usage(usage);
            DayOfWeek day = null;
            if (!parts[0].equals("day") && !parts[0].equals("daily")) {
                try {
                    day = DayOfWeek.valueOf(parts[0].toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw usage(usage);
                }
            }
            LocalTime at;
            try {
                at = LocalTime.parse(parts[1]);
            } catch (java.time.format.DateTimeParseException e) {
                throw usage(usage);
            }
            String mode = parts.length == 3 ? parts[2] : "human";
            if (!mode.equals("human") && !mode.equals("auto")) throw usage(usage);
            return new Practice.PingExercise(day, at, mode);
        }

        /** The --commitment values: catalogue ids as given (the node refuses unknown ones, naming them), free:NAME=TEXT split. */
        private List<Practice.Commitment> commitments() {
            List<Practice.Commitment> out = new ArrayList<>();
            for (String c : commitments) {
                if (!c.startsWith(Practice.FREE_FORM_PREFIX)) {
                    out.add(new Practice.Commitment(c, null));
                    continue;
                }
                int eq = c.indexOf('=');
                if (eq <= Practice.FREE_FORM_PREFIX.length() || eq == c.length() - 1 || c.substring(0, eq).contains(" ")) {
                    throw usage("a commitment of your own is --commitment free:NAME=TEXT, NAME without spaces (got '" + c + "')");
                }
                out.add(new Practice.Commitment(c.substring(0, eq), c.substring(eq + 1)));
            }
            try {
                new Practice(null, out, null, List.of());
            } catch (IllegalArgumentException e) {
                throw usage("--commitment: " + e.getMessage());
            }
            return out;
        }

        private static String textOrNull(JsonNode n) {
            return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
        }

        private Duration duration(String option, String text) {
            try {
                Duration d = Duration.parse(text);
                if (d.isNegative() || d.isZero()) throw usage(option + " must be a positive duration (got '" + text + "')");
                return d;
            } catch (DateTimeParseException e) {
                throw usage(option + " must be an ISO 8601 duration such as PT15M, PT4H or P5D (got '" + text + "')");
            }
        }

        private Charter.Rung rung(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) throw usage("--rung must be AFTER=ROLE[;CONTACT], e.g. 'PT1H=head of CERT' (got '" + text + "')");
            Duration after;
            try {
                after = Duration.parse(text.substring(0, eq).strip());
            } catch (DateTimeParseException e) {
                throw usage("--rung: '" + text.substring(0, eq) + "' is not an ISO 8601 duration such as PT0S or PT1H");
            }
            if (after.isNegative()) throw usage("--rung: the time after a missed deadline cannot be negative");
            String rest = text.substring(eq + 1);
            int semi = rest.indexOf(';');
            String role = (semi < 0 ? rest : rest.substring(0, semi)).strip();
            String contact = semi < 0 ? null : rest.substring(semi + 1).strip();
            if (role.isEmpty()) throw usage("--rung: the role is empty in '" + text + "'");
            return new Charter.Rung(after, role, contact == null || contact.isEmpty() ? null : contact);
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }

    /** Reads and checks a charter file; fills in {@code channel} if it is missing and {@code channel} is given. */
    static ObjectNode readCharter(Path file, String channel) throws IOException {
        JsonNode node;
        try {
            node = Json.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + CliErrors.oneLine(e));
        }
        if (!node.isObject()) throw new IllegalArgumentException(file + " must hold a JSON object (a charter)");
        ObjectNode o = (ObjectNode) node;
        if (channel != null) {
            if (!o.hasNonNull("channel")) o.put("channel", channel);
            else if (!channel.equals(o.path("channel").asText())) {
                throw new IllegalArgumentException(file + " is a charter for channel " + o.path("channel").asText() + ", not " + channel);
            }
        }
        try {
            Charter.fromJson(o);
        } catch (EnvelopeFormatException e) {
            throw new IllegalArgumentException(file + ": " + (e.field().isEmpty() ? "" : e.field() + ": ") + e.getMessage());
        }
        return o;
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign the terms of a channel that await your node's signature (a proposal or an amendment).",
                    "Shows the terms and their SHA-256 and asks you to confirm; your node signs exactly that hash and refuses if the terms "
                            + "awaiting signature have changed since. Non-interactively, pass the hash you reviewed with --charter-hash."})
    static final class Sign implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Channel id.")
        String id;

        @Option(names = "--charter-hash", paramLabel = "SHA256",
                description = "The SHA-256 of the terms you reviewed (as 'parley channel show ID --json' or this command prints it); signs without asking.")
        String charterHash;

        @Override
        public Integer call() throws Exception {
            ApiClient client = api.client();
            PrintWriter out = spec.commandLine().getOut();
            if (charterHash != null && !charterHash.matches("[0-9a-f]{64}")) {
                throw new ParameterException(spec.commandLine(), "--charter-hash must be a lowercase hex SHA-256 (64 characters)");
            }
            JsonNode view = client.get(path(id));
            JsonNode terms;
            String hash;
            if (view.has("pending")) {
                terms = view.path("pending").path("charter");
                hash = view.path("pending").path("charter_hash").asText();
            } else if (!"active".equals(view.path("state").asText())) {
                terms = view.path("charter");
                hash = view.path("charter_hash").asText();
            } else {
                throw new IllegalStateException("channel " + id + " has no terms awaiting signature");
            }
            printTerms(out, view.has("pending") ? "amendment" : "proposal", terms, hash);
            String reviewed = charterHash;
            if (reviewed == null) {
                out.print("Sign exactly these terms? [y/N] ");
                out.flush();
                String answer = Terminal.readLine();
                if (!Terminal.confirmed(answer)) {
                    if (answer == null) out.println();
                    out.flush();
                    throw new IllegalStateException("not signed (to sign without a prompt, pass --charter-hash " + hash + ")");
                }
                reviewed = hash;
            }
            JsonNode res = client.post(path(id) + "/sign", Json.object().put("charter_hash", reviewed));
            out.println("signed the terms of channel " + res.path("id").asText(id) + " (SHA-256 " + reviewed + "); state " + res.path("state").asText());
            out.println("signature envelope: " + res.path("signature").asText());
            return 0;
        }

        private static void printTerms(PrintWriter out, String what, JsonNode ch, String hash) {
            out.println(what + " for channel " + ch.path("channel").asText() + ":");
            out.println("  title:        " + ch.path("title").asText());
            out.println("  level:        " + ch.path("level").asText());
            out.println("  TLP ceiling:  " + ch.path("tlp_ceiling").asText());
            out.println("  members:");
            for (JsonNode m : ch.path("members")) {
                String fp;
                try {
                    fp = VerifierKey.parse(m.path("verifier_key").asText()).fingerprint();
                } catch (IllegalArgumentException e) {
                    fp = "unreadable key";
                }
                out.println("    " + m.path("origin").asText() + "  " + fp);
            }
            out.println("  deadlines:");
            for (Priority p : Priority.values()) {
                JsonNode d = ch.path("deadlines").path(p.wire());
                out.println("    " + p.wire() + ": ack " + d.path("ack").asText() + ", answer " + d.path("answer").asText());
            }
            for (JsonNode r : ch.path("escalation")) out.println("  escalation after " + r.path("after").asText() + ": " + r.path("role").asText());
            out.println("terms SHA-256: " + hash);
            out.flush();
        }
    }

    @Command(name = "amend", mixinStandardHelpOptions = true,
            description = {"Propose new terms for an active channel. The terms in force stay in force until every member of the new terms has "
                    + "signed them ('parley channel sign ID').",
                    "Start from 'parley channel show ID --charter > charter.json'."})
    static final class Amend implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "Channel id.")
        String id;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The new charter as JSON (its channel must be ID).")
        Path file;

        @Option(names = "--current-keys", description = "Replace each member's verifier_key with the key your node now holds for it "
                + "(after a member, or your node, rotated its key).")
        boolean currentKeys;

        @Override
        public Integer call() throws Exception {
            ObjectNode charter = readCharter(file, id);
            ApiClient client = api.client();
            PrintWriter out = spec.commandLine().getOut();
            if (currentKeys) {
                JsonNode self = client.get("/api/v1/node");
                Map<String, String> keys = new HashMap<>();
                for (JsonNode p : client.get("/api/v1/parties")) keys.put(p.path("origin").asText(), p.path("verifier_key").asText());
                keys.put(self.path("origin").asText(), self.path("verifier_key").asText());
                for (JsonNode m : charter.path("members")) {
                    String origin = m.path("origin").asText();
                    String key = keys.get(origin);
                    if (key == null) throw new IllegalArgumentException(origin + " is not a known peer of your node: add it with 'parley peer add URL' first");
                    if (!key.equals(m.path("verifier_key").asText())) {
                        ((ObjectNode) m).put("verifier_key", key);
                        out.println("key of " + origin + " updated to " + VerifierKey.parse(key).fingerprint());
                    }
                }
            }
            JsonNode res = client.post(path(id) + "/amend", charter);
            out.println("proposed an amendment of channel " + res.path("id").asText(id) + "; the current terms stay in force until all members sign");
            out.println("amendment envelope: " + res.path("amendment").asText());
            return 0;
        }
    }
}
