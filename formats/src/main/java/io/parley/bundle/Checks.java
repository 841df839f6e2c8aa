package io.parley.bundle;

import java.util.ArrayList;
import java.util.List;

import io.parley.bundle.CaseBundleVerifier.Check;

/** The checks of one verification, in the order they ran: that order is the report's, and {@code parley verify} prints it. */
final class Checks {
    private final List<Check> list = new ArrayList<>();

    void add(String name, boolean ok, String detail) {
        list.add(new Check(name, ok, detail));
    }

    List<Check> list() {
        return list;
    }

    /** A hash shortened for a detail line. */
    static String abbreviate(String h) {
        return h.length() > 16 ? h.substring(0, 16) + "..." : h;
    }
}
