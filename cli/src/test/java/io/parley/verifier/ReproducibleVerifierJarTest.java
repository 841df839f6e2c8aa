package io.parley.verifier;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The standalone verifier is a reproducible build: a third party who builds it from the same sources gets a
 * byte-identical jar, so it can check that the jar it was handed is the one those sources make. This builds the jar a
 * second time, from the same sources, into another output folder with Maven offline, and compares the two.
 */
class ReproducibleVerifierJarTest {

    @Test
    void buildingTheVerifierAgainFromTheSameSourcesGivesAByteIdenticalJar() throws Exception {
        Path first = StandaloneVerifier.jar();
        Path root = Path.of(System.getProperty("parley.project.root", "..")).toAbsolutePath().normalize();
        String target = "target-reproduced";
        Path second = root.resolve("verifier").resolve(target).resolve("parley-verifier.jar");
        Files.deleteIfExists(second);

        String mavenHome = System.getProperty("parley.maven.home");
        String mvn = mavenHome != null && !mavenHome.isBlank() ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
        var command = new java.util.ArrayList<>(List.of(mvn, "-B", "-q", "-o", "-Dmaven.test.skip=true", "-Dparley.target=" + target,
                "-pl", "verifier", "-am", "package"));
        String repo = System.getProperty("parley.maven.repo");
        if (repo != null && !repo.isBlank()) command.add("-Dmaven.repo.local=" + repo);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        // the same JDK as this build: class files are byte-identical only for the same compiler
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path log = Files.createTempFile("verifier-rebuild", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the second build did not finish");
        assertEquals(0, p.exitValue(), "the second build failed:\n" + Files.readString(log));

        assertTrue(Files.isRegularFile(second), second.toString());
        assertEquals(sha256(first), sha256(second), "the jar built twice from the same sources differs");
        assertTrue(Files.size(first) <= 8L * 1024 * 1024, "the standalone verifier is at most 8 MiB, it is " + Files.size(first));
    }

    @Test
    void theJarCarriesNoWebServerDatabaseDriverTemplateEngineOrMigrationTool() throws Exception {
        List<String> forbidden = List.of("io/javalin/", "org/eclipse/jetty/", "org/sqlite/", "org/postgresql/", "com/zaxxer/",
                "gg/jte/", "org/flywaydb/", "io/parley/server/", "io/parley/store/", "io/parley/node/", "io/parley/cli/");
        try (var jar = new java.util.jar.JarFile(StandaloneVerifier.jar().toFile())) {
            List<String> found = jar.stream().map(java.util.jar.JarEntry::getName)
                    .filter(n -> forbidden.stream().anyMatch(n::startsWith)).limit(10).toList();
            assertEquals(List.of(), found);
            assertEquals("io.parley.verifier.ParleyVerifier", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(jar.getEntry("io/parley/bundle/CaseBundleVerifier.class"));
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
