package io.parley.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A command run on this machine to its end: its exit status, standard output and standard error. */
record HostCommand(List<String> command, int exit, String out, String err) {

    static HostCommand run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    static HostCommand run(List<String> command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    /** Runs {@code command} with {@code environment} added to this JVM's. */
    static HostCommand run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 3 minutes");
        }
        return new HostCommand(command, p.exitValue(), out.join(), err.join());
    }

    /** Standard output and error, one after the other. */
    String output() {
        return out + err;
    }

    /** This result, after asserting that the command succeeded. */
    HostCommand ok() {
        assertEquals(0, exit, () -> String.join(" ", command) + " failed (exit " + exit + "):\n" + output());
        return this;
    }

    /** Whether {@code name} is an executable on the PATH. */
    static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }

    static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
