package io.parley.node;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.json.Json;

/** parley.json's {@code throttle} object: defaults when absent, every key read, a bad value refused by name. */
class ThrottlingConfigTest {
    @TempDir Path tmp;

    private NodeConfig create(Path dir) throws Exception {
        return NodeInit.create(dir, new NodeInit.Options("cert-x.example", null, "CERT", "XA", 0, null, List.of()), Instant.now());
    }

    @Test
    void absentMeansTheDefaultsAndTheyAreNotWrittenOut() throws Exception {
        NodeConfig cfg = create(tmp.resolve("n"));
        assertEquals(Throttling.DEFAULT, cfg.throttling());
        assertEquals(Throttling.DEFAULT, NodeConfig.load(tmp.resolve("n")).throttling());
        assertFalse(Files.readString(tmp.resolve("n").resolve(NodeConfig.FILE)).contains("throttle"));
    }

    @Test
    void everyKeyIsReadAndSurvivesSaving() throws Exception {
        Path dir = tmp.resolve("n");
        NodeConfig cfg = create(dir);
        Throttling t = Throttling.fromJson(Json.parse("""
                {"sign_in": {"pair_free": 3, "address_free": 30, "account_free": 12, "first_delay_seconds": 2, "max_delay_seconds": 600,
                             "account_max_delay_seconds": 30, "forget_after_seconds": 3600, "max_tracked": 5000},
                 "peers": {"per_second": 50, "burst": 2000, "max_tracked": 500}}"""));
        assertEquals(3, t.signIn().pairFree());
        assertEquals(Duration.ofSeconds(30), t.signIn().accountMaxDelay());
        assertEquals(2000, t.peers().burst());
        cfg.withThrottling(t).save(dir);
        assertEquals(t, NodeConfig.load(dir).throttling());
        assertEquals(10, Throttling.fromJson(Json.parse("{\"sign_in\": {\"pair_free\": 10}}")).signIn().pairFree(), "one key, the rest default");
    }

    @Test
    void aBadValueNamesItsKey() {
        for (String bad : new String[] {"{\"peers\": {\"burst\": 0}}", "{\"peers\": {\"per_second\": \"fast\"}}",
                "{\"sign_in\": {\"first_delay_seconds\": -1}}", "{\"sign_in\": {\"max_delay_seconds\": 1, \"first_delay_seconds\": 5}}",
                "{\"sign_in\": 5}", "[]"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Throttling.fromJson(Json.parse(bad)), bad);
            assertTrue(e.getMessage().contains("throttle"), bad + ": " + e.getMessage());
        }
    }
}
