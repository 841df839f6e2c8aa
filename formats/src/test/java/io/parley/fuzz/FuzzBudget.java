package io.parley.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.parley.identity.SigningKey;

/**
 * What every Parley fuzz target shares. A target ({@code *FuzzTest}, exactly one {@code @FuzzTest} per class, because
 * Jazzer fuzzes only one method per JVM) states the contract of one hostile-input entry point: the code accepts the
 * input or throws its documented exception; anything else escaping the target (another exception, an assertion on a
 * broken round trip, a timeout, OutOfMemoryError) is a finding.
 *
 * <p>An input that takes more than 10 seconds is a hang (libFuzzer's {@code -timeout=10}, set by the pom's fuzz
 * execution and by bench/fuzz); no JUnit {@code @Timeout} here, because in fuzzing mode JUnit would apply it to the
 * whole fuzzing run. Three ways they run (see pom.xml and bench/run):
 * <ul>
 *   <li>the suite's {@code fuzz} execution (every full test run) starts one JVM per target, replays its corpus
 *       ({@code src/test/resources/<package>/<Class>Inputs/<method>/}: real shapes from the other tests and every
 *       finding ever made), then fuzzes it for {@link #SUITE} (JAZZER_FUZZ=1; {@code -Dparley.fuzz=} replays only);
 *   <li>{@code -Dtest=SomeFuzzTest} replays one target like any test ({@code JAZZER_FUZZ=1} in front fuzzes it);
 *   <li>{@code ./parley bench fuzz [seconds]} fuzzes each target for as long as asked.
 * </ul>
 */
public final class FuzzBudget {
    /** How long the suite fuzzes each target (a finding-free run passes); the bench run takes its own time. */
    public static final String SUITE = "5s";

    private FuzzBudget() {}

    /** A fixed signing key, so corpus entries signed with it keep verifying across runs. */
    public static SigningKey key(String name) {
        byte[] seed = new byte[32];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < seed.length; i++) seed[i] = (byte) (n[i % n.length] + i);
        return new SigningKey(name, seed);
    }

    /** The input as strict UTF-8, or empty when it is not UTF-8 (a reader of bytes then rejects it). */
    public static Optional<String> strictUtf8(byte[] input) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
