package io.parley.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.store.Database;
import io.parley.store.UserStore;
import io.parley.testing.TestDatabases;

/**
 * Issue 11, constant-time sign-in: a refusal must not tell whether the account exists. Before the fix an unknown
 * user name was refused in 2 ms without any hashing, a wrong password in 45 ms, so a client could list accounts.
 */
class SignInEnumerationTest {
    @TempDir Path tmp;

    /** Structural: an unknown name runs the same password function, on a hash of the same kind and parameters. */
    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void unknownUserRunsTheSameHashAsAWrongPassword(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            UserStore users = new UserStore(db);
            users.put("duty", Passwords.hash("correct horse"), "officer", Instant.now());
            List<String> hashed = new ArrayList<>();
            Authenticator auth = new Authenticator(users, (password, stored) -> {
                hashed.add(stored);
                return Passwords.verify(password, stored);
            });
            assertTrue(auth.authenticate("duty", "wrong").isEmpty());
            assertTrue(auth.authenticate("nobody", "wrong").isEmpty());
            assertEquals(2, hashed.size(), "one hash per refusal, known account or not: " + hashed);
            assertEquals(parameters(hashed.get(0)), parameters(hashed.get(1)), "the same function and parameters: " + hashed);
        }
    }

    /** Measured: the median refusal of an unknown name is within a generous factor of a wrong password's. */
    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void unknownUserCostsWhatAWrongPasswordCosts(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            UserStore users = new UserStore(db);
            users.put("duty", Passwords.hash("correct horse"), "officer", Instant.now());
            Authenticator auth = new Authenticator(users);
            auth.authenticate("duty", "warm-up");
            long[] wrong = new long[9], unknown = new long[9];
            for (int i = 0; i < wrong.length; i++) { // interleaved, so load on the machine hits both alike
                wrong[i] = time(() -> auth.authenticate("duty", "wrong"));
                unknown[i] = time(() -> auth.authenticate("nobody-" + System.nanoTime(), "wrong"));
            }
            double ratio = (double) median(unknown) / median(wrong);
            assertTrue(ratio > 0.33 && ratio < 3, "unknown " + median(unknown) / 1_000_000 + " ms vs wrong " + median(wrong) / 1_000_000 + " ms");
        }
    }

    private static String parameters(String phc) {
        return phc.substring(0, phc.lastIndexOf('$', phc.lastIndexOf('$') - 1));
    }

    private static long time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }

    private static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
