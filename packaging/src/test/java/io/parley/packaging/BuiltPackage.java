package io.parley.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The .deb this module's build made (jdeb, at package), found in its target directory. */
final class BuiltPackage {
    private BuiltPackage() {}

    /** The newest parley_VERSION_all.deb: an older version's file may remain from before a version change. */
    static Path deb() throws IOException {
        Path dir = Path.of(System.getProperty("parley.deb.dir", "target"));
        try (Stream<Path> files = Files.list(dir)) {
            Path deb = files.filter(f -> f.getFileName().toString().matches("parley_.+_all\\.deb"))
                    .max(Comparator.comparing(BuiltPackage::modified)).orElse(null);
            assertTrue(deb != null, "no parley_*_all.deb in " + dir + ": the package phase builds it (mvn verify)");
            return deb.toAbsolutePath();
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
