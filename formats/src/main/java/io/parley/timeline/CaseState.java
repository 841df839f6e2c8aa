package io.parley.timeline;

/**
 * Where a case stands. Wire values never change; {@code declined} (a request every addressed party declined in time,
 * with nobody answering) was added with answer decisions: a later accept, defer or answer takes the case out of it,
 * and the opener still closes it.
 */
public enum CaseState {
    OPEN, ACKNOWLEDGED, IN_PROGRESS, ANSWERED, CLOSED, RETRACTED, DECLINED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ').replace(' ', '_');
    }

    public boolean finished() {
        return this == CLOSED || this == RETRACTED;
    }
}
