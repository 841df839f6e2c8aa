package io.parley.audit;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit.commit_every_minutes} in parley.json: the default, a value, and refusals of nonsense. */
class AuditCommitterSettingsTest {
    @TempDir Path dir;

    @Test
    void readsTheIntervalAndRefusesNonsense() throws IOException {
        assertEquals(Duration.ofMinutes(15), AuditCommitter.Settings.load(dir).every(), "no parley.json: the default");
        Files.writeString(dir.resolve("parley.json"), "{\"origin\":\"x\"}");
        assertEquals(AuditCommitter.Settings.DEFAULT, AuditCommitter.Settings.load(dir));
        Files.writeString(dir.resolve("parley.json"), "{\"audit\":{\"commit_every_minutes\":60}}");
        assertEquals(Duration.ofHours(1), AuditCommitter.Settings.load(dir).every());
        for (String bad : new String[] {"0", "-5", "1441", "1.5", "\"15\"", "true"}) {
            Files.writeString(dir.resolve("parley.json"), "{\"audit\":{\"commit_every_minutes\":" + bad + "}}");
            IOException e = assertThrows(IOException.class, () -> AuditCommitter.Settings.load(dir), bad);
            assertTrue(e.getMessage().contains("audit.commit_every_minutes must be a whole number of minutes from 1 to 1440"), e.getMessage());
        }
    }
}
