package io.parley.timeline;

/** Where a case stands. */
public enum CaseState {
    OPEN, ACKNOWLEDGED, IN_PROGRESS, ANSWERED, CLOSED, RETRACTED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ').replace(' ', '_');
    }

    public boolean finished() {
        return this == CLOSED || this == RETRACTED;
    }
}
