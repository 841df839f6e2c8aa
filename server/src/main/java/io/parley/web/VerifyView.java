package io.parley.web;

import java.util.List;

import io.parley.web.WebModel.Layout;

/** What the verify page shows, built by {@link VerifyPage}: the form, and after an upload the verifier's report. */
public final class VerifyView {
    private VerifyView() {}

    /** The page: the upload form, the largest file it takes (in the reader's units), and the report of the last upload (null before one). */
    public record Page(Layout layout, String maxSize, Result result) {}

    /**
     * A report: the overall verdict, counts, what the bundle says it is (wire values as written in it, unproven unless
     * the checks hold), the checks by group, and the silence findings (the verifier's English lines).
     */
    public record Result(String fileName, boolean valid, int passed, int failed, String caseId, String channel, String exportedBy,
                         String exportedAt, Case recomputed, List<Group> groups, List<String> findings) {
        /** The failed checks, for the verdict at the top: what to look at first. */
        public List<Line> failures() {
            return groups.stream().flatMap(g -> g.lines().stream()).filter(l -> !l.ok()).toList();
        }
    }

    /** The case timeline as the verifier recomputed it from the signed envelopes. */
    public record Case(String kind, String openedBy, String openedAt, String state, boolean exercise, int events) {}

    /** A group of checks (signatures, chains, ...): title and what it proves in the reader's language, counts and lines. */
    public record Group(String key, String title, String about, int passed, int failed, List<Line> lines) {
        public boolean ok() {
            return failed == 0;
        }
    }

    /** One check: passed or failed, what it checks in the reader's language, and the verifier's own line. */
    public record Line(boolean ok, String label, String detail) {}
}
