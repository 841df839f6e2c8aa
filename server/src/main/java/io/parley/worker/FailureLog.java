package io.parley.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;

/**
 * Logs a failure that repeats once: a warning the first time a thing fails in a given way (and again when the way
 * changes), debug for each repeat, and one line when the thing succeeds again. A worker retrying an unreachable peer
 * every few seconds would otherwise fill an operator's log with the same line.
 *
 * <p>Thread-safe. Remembers the last failure of at most {@value #REMEMBERED} things, the least recently failed
 * forgotten first, so hostile input that fails in endlessly new ways costs bounded memory (and at worst a repeated
 * warning).
 */
public final class FailureLog {
    static final int REMEMBERED = 1024;

    private final Logger log;
    /** thing → how it last failed, and how many times in a row; guarded by itself. */
    private final Map<String, Failure> failing = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failure> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Failure(String how, int times) {}

    public FailureLog(Logger log) {
        this.log = log;
    }

    /** {@code what} failed with {@code e}; returns true if this was worth a warning (a new way of failing). */
    public boolean failed(String what, Throwable e) {
        String how = e.toString();
        Failure before;
        synchronized (failing) {
            before = failing.get(what);
            failing.put(what, new Failure(how, before == null ? 1 : before.times() + 1));
        }
        if (before != null && before.how().equals(how)) {
            log.debug("{} failed again ({} times): {}", what, before.times() + 1, how);
            return false;
        }
        log.warn("{} failed: {}", what, how);
        return true;
    }

    /** {@code what} worked; if it had been failing, says so once. */
    public void succeeded(String what) {
        Failure before;
        synchronized (failing) {
            if (failing.isEmpty()) return;
            before = failing.remove(what);
        }
        if (before != null) log.info("{} works again after {} failed attempt{}", what, before.times(), before.times() == 1 ? "" : "s");
    }

    /** How many times in a row {@code what} has failed (0 if it is not failing). */
    public int failures(String what) {
        synchronized (failing) {
            Failure f = failing.get(what);
            return f == null ? 0 : f.times();
        }
    }
}
