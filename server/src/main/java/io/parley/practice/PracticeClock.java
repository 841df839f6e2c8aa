package io.parley.practice;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.node.Node;
import io.parley.worker.Worker;

/** Runs the charter's schedules on this node: ping exercises and reminders to re-confirm our points of contact. */
public final class PracticeClock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PracticeClock.class);

    private final Node node;
    private final PingExercises pings;
    private final ContactReminders reminders;
    private final Worker worker;

    public PracticeClock(Node node, PingExercises pings, ContactReminders reminders, Duration interval) {
        this.node = node;
        this.pings = pings;
        this.reminders = reminders;
        this.worker = Worker.named("parley-practice").every(interval).random(node.random()).log(LOG).start(() -> {
            tick();
            return Worker.IDLE;
        });
    }

    /** One pass at the node's current time (tests call it after moving the clock). */
    public synchronized void tick() {
        if (!node.runsDuties()) return; // another instance on the same database pings and reminds
        var now = node.now();
        pings.tick(now);
        reminders.tick(now);
    }

    public PingExercises pings() {
        return pings;
    }

    @Override
    public void close() {
        worker.close();
    }
}
