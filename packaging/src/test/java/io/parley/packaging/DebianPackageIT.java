package io.parley.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.testing.TestNodes;

/**
 * The package's life on a Debian machine, as its administrator meets it: dpkg -i, the files with their owners and
 * modes, a node initialised as the parley account and run with the very command line the systemd unit starts,
 * answering on loopback; an upgrade in place that keeps the node; remove, which keeps the node; purge, which deletes
 * it. systemd is not running in CI's container, so the test does what the unit would: the unit's User, its
 * EnvironmentFile and WorkingDirectory, its ExecStart read from the installed file (the unit's sandbox is checked by
 * SystemdUnitIT instead).
 *
 * <p>This installs a package system-wide, so it runs only as root (CI); elsewhere it is skipped. It refuses to touch
 * a Parley installation it did not make. Whatever fails, the package is purged at the end, so a rerun starts clean.
 */
class DebianPackageIT {
    /** The node's origin: tells this test's own leftovers (a run killed half-way) from an administrator's node. */
    private static final String ORIGIN = "deb-test.invalid";
    private static final Path SHARE = Path.of("/usr/share/parley");
    private static final Path COMMAND = Path.of("/usr/bin/parley");
    private static final Path UNIT = Path.of("/lib/systemd/system/parley.service");
    private static final Path ETC = Path.of("/etc/parley");
    private static final Path ENV = ETC.resolve("parley.env");
    private static final Path DATA = Path.of("/var/lib/parley");
    private static final Path NODE = DATA.resolve("node");
    private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path scratch;

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void installsInitialisesServesOnLoopbackUpgradesAndPurges() throws Exception {
        Preconditions.require("root".equals(System.getProperty("user.name")),
                "not root: the Debian package install test runs dpkg -i (CI runs it as root)");
        Preconditions.require(HostCommand.onPath("dpkg") && HostCommand.onPath("runuser"), "dpkg or runuser is not installed");
        Path deb = BuiltPackage.deb();
        refuseToTouchAnotherInstallation();
        Process serve = null;
        try {
            purge(); // a leftover of this test, killed half-way
            HostCommand.run("dpkg", "-i", deb.toString()).ok();
            assertInstalledFiles();

            int port = freeLoopbackPort();
            asParley(List.of(COMMAND.toString(), "init", "--dir", NODE.toString(), "--name", ORIGIN, "--port", Integer.toString(port))).ok();
            assertOwned(NODE, "parley", "parley", "rwx------");
            assertOwned(NODE.resolve("log.key"), "parley", "parley", "rw-------");

            serve = startAsTheUnitDoes();
            assertServesOnLoopback(serve, port);
            assertStopsOnSigterm(serve);

            HostCommand.run("dpkg", "-i", deb.toString()).ok(); // an upgrade in place (same version: a reinstall)
            assertInstalledFiles();
            assertTrue(Files.exists(NODE.resolve("parley.json")), "the upgrade lost the node");

            HostCommand.run("dpkg", "--remove", "parley").ok();
            assertFalse(Files.exists(COMMAND), "remove left " + COMMAND);
            assertFalse(Files.exists(SHARE), "remove left " + SHARE);
            assertTrue(Files.exists(NODE.resolve("log.key")), "remove deleted the node: only purge may");
            assertTrue(Files.exists(ENV), "remove deleted the configuration: only purge may");

            HostCommand.run("dpkg", "--purge", "parley").ok();
            assertEquals("not-installed", status());
            for (Path gone : List.of(COMMAND, SHARE, UNIT, ETC, DATA)) assertFalse(Files.exists(gone, LinkOption.NOFOLLOW_LINKS), "purge left " + gone);
            // Kept on purge by design (postrm): a later account must not inherit files the parley account owned.
            HostCommand.run("getent", "passwd", "parley").ok();
        } finally {
            if (serve != null) {
                serve.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                serve.destroyForcibly();
            }
            purge();
        }
    }

    private void assertInstalledFiles() throws IOException, InterruptedException {
        assertEquals("installed", status());
        assertOwned(SHARE, "root", "root", "rwxr-xr-x");
        assertOwned(SHARE.resolve("parley.jar"), "root", "root", "rw-r--r--");
        assertOwned(COMMAND, "root", "root", "rwxr-xr-x");
        assertOwned(UNIT, "root", "root", "rw-r--r--");
        assertOwned(ETC, "root", "parley", "rwxr-x---");
        assertOwned(ENV, "root", "parley", "rw-r-----");
        assertOwned(DATA, "parley", "parley", "rwx------");
        assertTrue(HostCommand.run("dpkg-query", "-W", "-f=${Conffiles}", "parley").ok().out().contains(ENV.toString()),
                ENV + " is not a conffile: an upgrade would overwrite the administrator's settings");
        assertClassPathComplete();

        // A system account: a uid below 1000, no login shell, its home the data directory.
        String[] account = HostCommand.run("getent", "passwd", "parley").ok().out().strip().split(":");
        assertTrue(Integer.parseInt(account[2]) < 1000, "parley is not a system account: uid " + account[2]);
        assertEquals(DATA.toString(), account[5]);
        assertTrue(account[6].endsWith("/nologin") || account[6].equals("/bin/false"), "parley has a login shell: " + account[6]);
        HostCommand.run("getent", "group", "parley").ok();
    }

    /** Every library the jar's manifest names is installed, and no other: a stale or missing jar fails here, not at run time. */
    private static void assertClassPathComplete() throws IOException {
        Set<String> named;
        try (JarFile jar = new JarFile(SHARE.resolve("parley.jar").toFile())) {
            named = new TreeSet<>(List.of(jar.getManifest().getMainAttributes().getValue("Class-Path").strip().split("\\s+")));
        }
        Set<String> installed;
        try (Stream<Path> libs = Files.list(SHARE.resolve("lib"))) {
            installed = libs.map(p -> "lib/" + p.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(named, installed, "the jars in " + SHARE.resolve("lib") + " differ from parley.jar's Class-Path (stale jars in cli/target/lib? mvn clean)");
    }

    /** Starts ExecStart of the installed unit as its User, with its EnvironmentFile, in its WorkingDirectory. */
    private Process startAsTheUnitDoes() throws IOException {
        UnitFile unit = UnitFile.read(UNIT);
        Map<String, String> environment = UnitFile.readEnvironment(unit.environmentFile());
        List<String> command = new ArrayList<>(List.of("runuser", "-u", unit.single("User"), "--", "env", "-i", PATH, javaHome()));
        environment.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(unit.command(environment));
        assertEquals(List.of(COMMAND.toString(), "serve", "--dir", NODE.toString()), unit.command(environment),
                "the unit's ExecStart with the packaged " + ENV);
        return new ProcessBuilder(command).directory(Path.of(unit.single("WorkingDirectory")).toFile())
                .redirectErrorStream(true).redirectOutput(scratch.resolve("serve.log").toFile()).start();
    }

    private void assertServesOnLoopback(Process serve, int port) throws Exception {
        URI health = URI.create("http://127.0.0.1:" + port + "/healthz");
        boolean up = TestNodes.eventually(90, () -> serve.isAlive() && answers(health));
        assertTrue(up, "the node did not answer " + health + (serve.isAlive() ? "" : " (it exited " + serve.exitValue() + ")") + ":\n" + log());
        String body = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(body.contains("\"origin\":\"" + ORIGIN + "\"") && body.contains("\"status\":\"ok\""), body);
        var card = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/.well-known/parley")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, card.statusCode(), card.body());

        ProcessHandle java = serve.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/bin/java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java process under " + serve.info().commandLine().orElse("runuser")));
        assertEquals("parley", java.info().user().orElse("?"), "the node's JVM runs as the wrong user");
        assertOwned(NODE.resolve("parley.db"), "parley", "parley", "rw-------");
    }

    /** systemctl stop sends SIGTERM to the JVM; it closes the node and exits 143, which the unit counts as success. */
    private void assertStopsOnSigterm(Process serve) throws Exception {
        serve.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/bin/java")).forEach(ProcessHandle::destroy);
        assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "the node did not stop within 60 s of SIGTERM:\n" + log());
        assertEquals(143, serve.exitValue(), "exit status after SIGTERM (the unit's SuccessExitStatus):\n" + log());
    }

    private boolean answers(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A command as the parley account, with an environment as bare as a systemd service's. */
    private static HostCommand asParley(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "parley", "--", "env", "-i", PATH, javaHome()));
        full.addAll(command);
        return HostCommand.run(full);
    }

    /**
     * The JDK running this test (21 or newer, as the build needs), as JAVA_HOME: CI's JDK need not be under
     * /usr/lib/jvm, where /usr/bin/parley otherwise looks (an administrator sets it in /etc/parley/parley.env).
     */
    private static String javaHome() {
        return "JAVA_HOME=" + System.getProperty("java.home");
    }

    private static void refuseToTouchAnotherInstallation() throws IOException, InterruptedException {
        String status = status();
        if (status.equals("not-installed")) return;
        Path config = NODE.resolve("parley.json");
        if (Files.exists(config) && Files.readString(config).contains("\"" + ORIGIN + "\"")) return;
        abort("a Parley package (" + status + ") this test did not install is on this machine: it would be purged with its node; "
                + "skipping (dpkg --purge parley first if it is a leftover of this test)");
    }

    /** dpkg's state of the parley package: installed, config-files, ..., or not-installed. */
    private static String status() throws IOException, InterruptedException {
        HostCommand q = HostCommand.run("dpkg-query", "-W", "-f=${db:Status-Status}", "parley");
        return q.exit() == 0 && !q.out().isBlank() ? q.out().strip() : "not-installed";
    }

    private static void purge() throws IOException, InterruptedException {
        if (!status().equals("not-installed")) HostCommand.run("dpkg", "--purge", "parley").ok();
    }

    private static void assertOwned(Path path, String owner, String group, String mode) throws IOException {
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), path + " is missing");
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(owner + ":" + group + " " + mode, a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions()),
                "owner, group and mode of " + path);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String log() {
        try {
            return Files.readString(scratch.resolve("serve.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
