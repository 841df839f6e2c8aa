package io.parley.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the packaging tests need from the machine (root, dpkg, systemd-analyze). Missing on a developer's laptop, a
 * test is skipped with the reason; under CI, which sets PARLEY_PACKAGING_TESTS=required (.ci/run), it fails instead,
 * so that the package is never left untested by a change of CI machine or user.
 */
final class Preconditions {
    private Preconditions() {}

    static void require(boolean holds, String reason) {
        if ("required".equals(System.getenv("PARLEY_PACKAGING_TESTS"))) {
            assertTrue(holds, reason + ", but PARLEY_PACKAGING_TESTS=required");
        } else {
            assumeTrue(holds, reason + ": skipped");
        }
    }
}
