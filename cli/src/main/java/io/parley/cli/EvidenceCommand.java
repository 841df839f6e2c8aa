package io.parley.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley evidence}: evidence this node shared (through your node's API). */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Evidence: withdraw what this node shared; write a channel's as a MISP feed.",
        subcommands = {EvidenceCommand.Retract.class, EvidenceCommand.MispFeedExport.class})
final class EvidenceCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: retract, misp-feed");
    }

    @Command(name = "retract", mixinStandardHelpOptions = true,
            description = {"Withdraw a STIX bundle this node shared, by its SHA-256: a signed retract goes to every channel and case it was shared in.",
                    "Every member node then serves its objects as revoked (TAXII), drops them from correlation and from MISP/IODEF export.",
                    "Only the party that shared evidence can withdraw it; the case itself is not retracted."})
    static final class Retract implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Parameters(index = "0", paramLabel = "SHA256", description = "The bundle's SHA-256 (as the upload or the case shows it).")
        String sha256;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "Only where it was shared in this channel.")
        String channel;

        @Option(names = "--case", paramLabel = "ID", description = "Only where it was shared in this case.")
        String caseId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the other parties (signed with the retract).")
        String reason;

        @Option(names = "--lang", paramLabel = "LANG", description = "Language of --reason (default: en).")
        String lang;

        @Override
        public Integer call() throws Exception {
            ObjectNode req = Json.object();
            if (channel != null) req.put("channel", channel);
            if (caseId != null) req.put("case", caseId);
            if (reason != null) req.put("reason", reason).put("lang", lang == null ? "en" : lang);
            JsonNode r = api.client().post("/api/v1/evidence/" + ApiOptions.segment(sha256) + "/retract", req);
            for (JsonNode x : r.path("retracts")) {
                spec.commandLine().getOut().println("retracted " + sha256 + " in channel " + x.path("channel").asText()
                        + (x.path("case").isNull() ? "" : ", case " + x.path("case").asText()) + ": retract " + x.path("envelope").asText());
            }
            return 0;
        }
    }

    @Command(name = "misp-feed", mixinStandardHelpOptions = true,
            description = {"Write a channel's shared evidence, as your account may read it, to a directory as a static MISP feed: "
                    + "manifest.json, one <uuid>.json per event and hashes.csv (files 0644).",
                    "Publish the directory over HTTPS and add it in MISP as a feed of type 'MISP Feed'. Run it again to update it: "
                    + "the events the previous manifest.json listed that the channel no longer has (withdrawn) are deleted; no other file is touched."})
    static final class MispFeedExport implements Callable<Integer> {
        private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

        @Spec CommandSpec spec;
        @Mixin ApiOptions api;

        @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "The channel whose shared evidence to write.")
        String channel;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The feed's directory (created if missing; give each feed its own).")
        Path out;

        @Override
        public Integer call() throws Exception {
            ApiClient client = api.client();
            String base = "/api/v1/channels/" + ApiOptions.segment(channel) + "/misp-feed/";
            JsonNode manifest = client.get(base + "manifest.json");
            Set<String> uuids = new TreeSet<>();
            manifest.fieldNames().forEachRemaining(uuids::add);
            for (String uuid : uuids) {
                // the names become file names: nothing but a lower-case uuid
                if (!UUID.matcher(uuid).matches()) throw new IOException("the node's manifest names an event '" + uuid + "' that is not a uuid");
            }
            Files.createDirectories(out);
            Set<String> before = listed(out.resolve("manifest.json"));
            // events first, the manifest last: a run cut short leaves the previous manifest, whose events are all still there
            for (String uuid : uuids) write(out.resolve(uuid + ".json"), Json.write(client.get(base + uuid + ".json")));
            StringBuilder hashes = new StringBuilder();
            client.getText(base + "hashes.csv").lines().filter(l -> uuids.contains(l.substring(l.indexOf(',') + 1))).forEach(l -> hashes.append(l).append('\n'));
            write(out.resolve("hashes.csv"), hashes.toString());
            write(out.resolve("manifest.json"), Json.write(manifest));
            int removed = 0;
            for (String gone : before) {
                if (!uuids.contains(gone) && Files.deleteIfExists(out.resolve(gone + ".json"))) removed++;
            }
            spec.commandLine().getOut().println("wrote " + uuids.size() + " events of channel " + channel + " to " + out
                    + (removed > 0 ? " (" + removed + " no longer in the channel's feed removed)" : "") + ": manifest.json, hashes.csv");
            return 0;
        }

        /** The uuids a previous run's manifest listed (none when there is none). */
        private static Set<String> listed(Path manifest) throws IOException {
            Set<String> out = new TreeSet<>();
            if (!Files.isRegularFile(manifest)) return out;
            JsonNode m;
            try {
                m = Json.parse(Files.readString(manifest));
            } catch (IllegalArgumentException e) {
                throw new IOException(manifest + " is not a MISP feed manifest (not JSON); give the feed a directory of its own");
            }
            m.fieldNames().forEachRemaining(u -> {
                if (UUID.matcher(u).matches()) out.add(u);
            });
            return out;
        }

        /** Replaces {@code file} in one step (a web server never serves half a file), readable by all: a feed is published. */
        private static void write(Path file, String content) throws IOException {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
