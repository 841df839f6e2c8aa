package io.parley.verifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the standalone verifier jar the way a third party would: {@code java -jar parley-verifier.jar BUNDLE} in a
 * process of its own, with the JDK's {@code java} and an empty environment (no class path, no Parley, no Maven).
 * The jar is the one the build made in the verifier module ({@code mvn verify} packages it before these tests run).
 */
public final class StandaloneVerifier {
    private StandaloneVerifier() {}

    public record Result(int exit, String out, String err) {}

    /** The verifier jar built for this test run (system property set by the CLI module's pom). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("parley.verifier.jar", "../verifier/target/parley-verifier.jar")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the verifier module packages it (mvn verify, or ./parley verifier-jar)");
        return jar;
    }

    public static Result run(Path jar, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the verifier did not finish");
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
