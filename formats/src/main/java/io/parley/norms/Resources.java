package io.parley.norms;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.json.Json;

/** Reads a JSON resource shipped beside a class; a missing or broken one is a build fault, so it fails loudly. */
final class Resources {
    private Resources() {}

    static JsonNode json(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is missing beside " + owner.getName());
            return Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
