package io.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for who may read a node's files: only the account that runs it. The directory is 0700; the database
 * (with SQLite's -wal, -shm and -journal files), {@code parley.json} and the key files are 0600: together they hold
 * every message, every password hash, the node's signing keys and the key of its TOTP secrets. Applied at {@code parley init} and again each time
 * the node starts, which corrects (and logs) looser modes left by an older version, a restore or a hand edit.
 */
public final class NodeFiles {
    private static final Logger LOG = LoggerFactory.getLogger(NodeFiles.class);
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final List<String> PRIVATE = List.of(NodeConfig.FILE, NodeConfig.FILE + ".tmp", NodeConfig.KEY_FILE, NodeConfig.WITNESS_KEY_FILE, NodeConfig.TOTP_KEY_FILE,
            NodeConfig.SQLITE_FILE, NodeConfig.SQLITE_FILE + "-wal", NodeConfig.SQLITE_FILE + "-shm", NodeConfig.SQLITE_FILE + "-journal");

    private NodeFiles() {}

    /**
     * Sets the modes of {@code dir} and of the node's files in it that exist. With {@code createDatabase}, an absent
     * SQLite file is first created empty with mode 0600 (an empty file is an empty SQLite database), so it never
     * exists with the process umask's mode; SQLite gives its -wal and -shm files the database file's mode.
     */
    public static void secure(Path dir, boolean createDatabase) throws IOException {
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) return; // not a POSIX file system
        correct(dir, DIRECTORY);
        Path db = dir.resolve(NodeConfig.SQLITE_FILE);
        if (createDatabase && !Files.exists(db)) Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE));
        for (String name : PRIVATE) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) correct(f, FILE);
        }
    }

    private static void correct(Path p, Set<PosixFilePermission> wanted) throws IOException {
        Set<PosixFilePermission> had = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (had.equals(wanted)) return;
        Files.setPosixFilePermissions(p, wanted);
        LOG.warn("{} had mode {}; set it to {} (only the node's own account may read it)", p, PosixFilePermissions.toString(had),
                PosixFilePermissions.toString(wanted));
    }
}
