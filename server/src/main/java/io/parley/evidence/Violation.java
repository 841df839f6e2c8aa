package io.parley.evidence;

import java.util.Objects;

/**
 * One reason a bundle is not acceptable.
 *
 * @param jsonPath an RFC 6901 JSON pointer into the bundle ({@code ""} is the bundle itself, e.g.
 *     {@code /objects/3/pattern}), so a UI or an API problem document can point at the offending value
 * @param message a human-readable explanation, in English
 */
public record Violation(String jsonPath, String message) {
    public Violation {
        Objects.requireNonNull(jsonPath, "jsonPath");
        Objects.requireNonNull(message, "message");
    }
}
