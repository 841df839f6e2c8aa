package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression tests of the TAXII query reader beside its fuzz target (TaxiiQueryFuzzTest): timestamps that
 * Instant.parse accepts but that have no microsecond value (years far beyond 9999) were an ArithmeticException,
 * answered 500; they are a 400 like every other unreadable timestamp.
 */
class TaxiiQueryTest {
    @ParameterizedTest
    @ValueSource(strings = {"added_after", "match[version]"})
    void aTimestampBeyondTheMicrosecondRangeIsABadRequest(String name) {
        TaxiiException e = assertThrows(TaxiiException.class,
                () -> TaxiiRoutes.query(n -> Map.of(name, List.of("+1000000000-01-01T00:00:00Z")).getOrDefault(n, List.of()), true));
        assertEquals(400, e.status());
    }

    @org.junit.jupiter.api.Test
    void anOrdinaryTimestampIsReadToTheMicrosecond() {
        TaxiiStore.Query q = TaxiiRoutes.query(n -> n.equals("added_after") ? List.of("2026-01-02T03:04:05.123456Z") : List.of(), true);
        assertEquals(TaxiiStore.micros(java.time.Instant.parse("2026-01-02T03:04:05.123456Z")), q.addedAfter());
    }
}
