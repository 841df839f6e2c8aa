package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.cli.CliTest;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 11, files and process: a node's directory holds every message, every password hash and its signing keys,
 * yet {@code parley init} left it 0755 with {@code parley.json} and {@code parley.db} 0644, readable by every account
 * on the host. The directory is 0700 and those files 0600 after init, and a node started over looser modes corrects
 * them before it opens anything.
 */
class NodeFilesTest {
    @TempDir Path tmp;

    @Test
    void initLeavesNothingReadableByOtherAccounts() throws Exception {
        Path dir = tmp.resolve("n");
        assertEquals(0, CliTest.run("init", "--dir", dir.toString(), "--name", "cert-a.example").code());
        assertEquals(List.of(), loose(dir, List.of("parley.json", "log.key", "witness.key", "parley.db")));
    }

    @Test
    void startCorrectsModesLeftLooseByAnOlderVersion() throws Exception {
        NodeServer first = TestNodes.start(tmp, "cert-a.example");
        Path dir = first.node().dir();
        first.close();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> files = new ArrayList<>(List.of("parley.json", "log.key", "witness.key"));
        boolean sqlite = Files.exists(dir.resolve("parley.db"));
        if (sqlite) files.add("parley.db");
        for (String f : files) Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        try (NodeServer again = TestNodes.start(tmp, "cert-a.example")) {
            assertEquals(200, TestNodes.get(again, "/api/v1/node").statusCode());
            if (sqlite) {
                assertTrue(Files.exists(dir.resolve("parley.db-wal")), "WAL mode: the write-ahead log exists while the node runs");
                files.add("parley.db-wal");
                files.add("parley.db-shm");
            }
            assertEquals(List.of(), loose(dir, files));
        }
    }

    /** What in {@code dir} another account could read: the directory unless 0700, each file unless 0600. */
    private static List<String> loose(Path dir, List<String> files) throws Exception {
        List<String> found = new ArrayList<>();
        String d = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
        if (!d.equals("rwx------")) found.add(dir + " " + d);
        for (String f : files) {
            Path p = dir.resolve(f);
            if (!Files.exists(p)) {
                found.add(f + " missing");
                continue;
            }
            String m = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            if (!m.equals("rw-------")) found.add(f + " " + m);
        }
        return found;
    }
}
