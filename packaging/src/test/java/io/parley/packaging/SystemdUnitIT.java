package io.parley.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged systemd unit as systemd itself reads it, without installing anything: the .deb is unpacked into a
 * scratch root beside a copy of this machine's own units (the targets it names), and systemd-analyze looks at it
 * there. Needs systemd-analyze and dpkg-deb; any user may run it.
 */
class SystemdUnitIT {
    /**
     * The checks of systemd's exposure assessment the unit is allowed to fail, each for a reason; any other failed
     * check is a hardening setting missing from the unit.
     */
    private static final Map<String, String> ACCEPTED = Map.ofEntries(
            Map.entry("MemoryDenyWriteExecute", "the JVM's JIT compiler writes machine code and then runs it"),
            Map.entry("PrivateNetwork", "a node talks to its peers and serves its users over the network"),
            Map.entry("RestrictAddressFamilies_AF_INET_INET6", "the same: IPv4 and IPv6 sockets"),
            Map.entry("RestrictAddressFamilies_AF_UNIX", "user and host name lookups go through local sockets (NSS)"),
            Map.entry("IPAddressDeny", "peers can be anywhere; an administrator can narrow this in a drop-in"),
            Map.entry("SystemCallFilter_resources", "the JVM raises its own open-file limit and reads CPU affinity"),
            Map.entry("RootDirectoryOrRootImage", "the node runs on the host's Java, found under /usr/lib/jvm"),
            Map.entry("ProcSubset", "the JVM and its metrics read /proc/meminfo, /proc/stat and /proc/cpuinfo"),
            Map.entry("PrivateUsers", "needs user namespaces, which some hosts lack; the service holds no capability to guard"),
            Map.entry("DeviceAllow", "ProtectClock leaves read access to the real-time clock"));

    /** The scratch root, under target/ (systemd-analyze --root): the host's units are symlinks JUnit's @TempDir would warn about. */
    private static final Path ROOT = Path.of(System.getProperty("parley.deb.dir", "target"), "unit-root").toAbsolutePath();

    @BeforeAll
    static void unpackIntoScratchRoot() throws IOException, InterruptedException {
        Preconditions.require(HostCommand.onPath("systemd-analyze") && HostCommand.onPath("dpkg-deb"),
                "systemd-analyze or dpkg-deb is not installed: the unit is not checked");
        HostCommand.run("rm", "-rf", ROOT.toString()).ok();
        Path units = ROOT.resolve("usr/lib/systemd/system");
        Files.createDirectories(units);
        for (String dir : List.of("/lib/systemd/system", "/usr/lib/systemd/system")) {
            if (Files.isDirectory(Path.of(dir))) HostCommand.run("cp", "-a", dir + "/.", units.toString()).ok();
        }
        Files.deleteIfExists(units.resolve("parley.service")); // an installed Parley's unit, not the one under test
        HostCommand.run("dpkg-deb", "-x", BuiltPackage.deb().toString(), ROOT.toString()).ok();
        assertTrue(Files.isRegularFile(ROOT.resolve("lib/systemd/system/parley.service")), "the package has no /lib/systemd/system/parley.service");
    }

    @Test
    void systemdAnalyzeVerifyFindsNothingWrongWithTheUnit() throws IOException, InterruptedException {
        // verify runs man(1) for each man: page in Documentation=, on the host: pointed at the package's pages, when
        // man is installed, it checks that the unit's page is there.
        HostCommand verify = HostCommand.onPath("man")
                ? HostCommand.run(Map.of("MANPATH", ROOT.resolve("usr/share/man").toString()), List.of("systemd-analyze", "verify", "--root=" + ROOT, "parley.service"))
                : HostCommand.run("systemd-analyze", "verify", "--man=no", "--root=" + ROOT, "parley.service");
        // systemd-analyze verify exits 0 on unknown or malformed settings, only printing them: every line about the
        // unit counts. Lines about the host's own units (copied in for the targets ours names) are not ours to fix.
        List<String> aboutUnit = verify.output().lines().filter(l -> l.contains("parley")).toList();
        assertEquals(List.of(), aboutUnit, "systemd-analyze verify:\n" + verify.output());
        assertEquals(0, verify.exit(), "systemd-analyze verify:\n" + verify.output());
    }

    @Test
    void unitPassesEveryHardeningCheckOfSystemdSaveTheAcceptedOnes() throws IOException, InterruptedException {
        HostCommand security = HostCommand.run("systemd-analyze", "security", "--offline=true", "--json=short", "--root=" + ROOT, "parley.service");
        assumeTrue(security.exit() == 0 || !security.output().contains("unrecognized option"),
                "this systemd-analyze cannot assess a unit offline (systemd 250 or newer can)");
        security.ok();
        JsonNode checks = new ObjectMapper().readTree(security.out());
        assertTrue(checks.isArray() && checks.size() > 40, "unexpected assessment: " + security.output());
        Map<String, String> failed = new TreeMap<>();
        for (JsonNode check : checks) {
            if (!check.path("set").asBoolean() && !check.path("exposure").isNull()) {
                failed.put(check.path("json_field").asText(), check.path("name").asText() + ": " + check.path("description").asText());
            }
        }
        failed.keySet().removeAll(ACCEPTED.keySet());
        assertEquals(Map.of(), failed, "hardening checks the unit fails that are not accepted for a reason");
    }
}
