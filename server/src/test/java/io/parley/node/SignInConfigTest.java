package io.parley.node;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.auth.SignInSettings;

/** parley.json's sign-in keys: defaults, what init writes, and clear refusals of bad values. */
class SignInConfigTest {
    @TempDir Path dir;

    @Test
    void defaultsAreWrittenAndReadBackAndBadValuesAreRefused() throws Exception {
        NodeConfig cfg = NodeInit.create(dir, new NodeInit.Options("cert-c.example", null, null, null, 1, null, List.of()), Instant.now());
        assertEquals(SignInSettings.DEFAULT, cfg.signIn());
        String text = Files.readString(dir.resolve(NodeConfig.FILE));
        assertTrue(text.contains("\"session_idle_minutes\" : 30") && text.contains("\"session_max_hours\" : 12")
                && text.contains("\"require_2fa_for_admin\" : false"), "init shows the operator the keys: " + text);

        Files.writeString(dir.resolve(NodeConfig.FILE), text.replace("\"session_idle_minutes\" : 30", "\"session_idle_minutes\" : 15")
                .replace("\"require_2fa_for_admin\" : false", "\"require_2fa_for_admin\" : true"));
        NodeConfig strict = NodeConfig.load(dir);
        assertEquals(new SignInSettings(Duration.ofMinutes(15), Duration.ofHours(12), true), strict.signIn());

        for (String[] bad : new String[][] {{"\"session_idle_minutes\" : 30", "\"session_idle_minutes\" : 0"},
                {"\"session_idle_minutes\" : 30", "\"session_idle_minutes\" : \"thirty\""},
                {"\"session_max_hours\" : 12", "\"session_max_hours\" : 1.5"},
                {"\"require_2fa_for_admin\" : false", "\"require_2fa_for_admin\" : \"yes\""},
                {"\"session_idle_minutes\" : 30", "\"session_idle_minutes\" : 100001"}}) {
            Files.writeString(dir.resolve(NodeConfig.FILE), text.replace(bad[0], bad[1]));
            IOException e = assertThrows(IOException.class, () -> NodeConfig.load(dir), bad[1]);
            assertTrue(e.getMessage().contains(bad[1].split("\"")[1]), e.getMessage());
        }
    }
}
