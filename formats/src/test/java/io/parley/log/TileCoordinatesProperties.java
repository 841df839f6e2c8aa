package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class TileCoordinatesProperties {

    @Property(tries = 2000)
    void everyTilePathParsesBackToItsCoordinates(@ForAll @IntRange(min = 0, max = 63) int level,
                                                 @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long index,
                                                 @ForAll @IntRange(min = 1, max = 256) int width,
                                                 @ForAll boolean entries) throws Exception {
        TileCoordinates t = new TileCoordinates(entries ? 0 : level, index, width, entries);
        assertEquals(t, TileCoordinates.parse(t.path()));
    }

    @Property(tries = 2000)
    void anyStringEitherFailsToParseOrIsCanonical(@ForAll("tileish") String path) {
        try {
            assertEquals(path, TileCoordinates.parse(path).path());
        } catch (FormatException expected) {
            // fine: malformed
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> tileish() {
        return net.jqwik.api.Arbitraries.strings().withChars("tile/0123456789xp.entries").ofMaxLength(30)
                .map(s -> "tile/" + s);
    }
}
