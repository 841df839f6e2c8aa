package io.parley.bundle;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.identity.VerifierKey;
import io.parley.receipt.LogTime;
import io.parley.timeline.LoggedAt;

/**
 * The recipients' signed log times in a bundle ({@code log_times}, {@link LogTime}): each must be signed by the key of
 * the member it names, be for an envelope of the bundle, and not be its sender's own. The ones that hold are the
 * log times the case timeline is recomputed with, so a log time changed, added or dropped either fails here or makes
 * the recomputed timeline differ from the exporter's.
 */
final class LogTimeChecks {
    private LogTimeChecks() {}

    /** The earliest verified recipient log time of each envelope, by hash. */
    static Map<String, LoggedAt> check(Checks checks, JsonNode array, Map<String, VerifierKey> keys, Map<String, Envelope> byHash) {
        Map<String, LoggedAt> out = new TreeMap<>();
        if (array.isMissingNode()) return out; // bundles from before log times: every created time stands
        int n = 0;
        for (JsonNode j : array) {
            n++;
            String name = "log time " + j.path("log").asText() + " for " + Checks.abbreviate(j.path("envelope").asText());
            LogTime t;
            try {
                t = LogTime.fromJson(j);
            } catch (IllegalArgumentException e) {
                checks.add(name, false, e.getMessage());
                continue;
            }
            Envelope e = byHash.get(t.envelope());
            VerifierKey key = keys.get(t.log());
            if (e == null) checks.add(name, false, "names no envelope of the bundle");
            else if (e.from().equals(t.log())) checks.add(name, false, "a sender's own log time is no evidence of when it sent");
            else if (key == null || !t.verifies(key)) checks.add(name, false, "not signed by " + t.log() + "'s key as written");
            else LoggedAt.keepEarliest(out, t.envelope(), new LoggedAt(t.log(), t.loggedAt()));
        }
        boolean ordered = Ordering.strictlyIncreasing(array, j -> j.path("envelope").asText() + "\n" + j.path("log").asText());
        checks.add("log times", ordered, n + " signed log time(s) of recipients" + (ordered ? "" : ", not in (envelope, log) order as the format prescribes"));
        return out;
    }
}
