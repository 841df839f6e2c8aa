package io.parley.evidence;

/** RFC 6901 JSON pointer building: the one place that knows {@code ~} and {@code /} must be escaped in a segment. */
final class Pointers {
    private Pointers() {}

    static String child(String parent, String name) {
        return parent + "/" + escape(name);
    }

    static String child(String parent, int index) {
        return parent + "/" + index;
    }

    /** RFC 6901 §3: {@code ~} becomes {@code ~0} and {@code /} becomes {@code ~1}, in that order. */
    static String escape(String segment) {
        if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
            return segment;
        }
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
