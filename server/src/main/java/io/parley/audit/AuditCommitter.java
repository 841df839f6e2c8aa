package io.parley.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.json.Json;
import io.parley.node.NodeConfig;
import io.parley.transparency.TransparencyLog;
import io.parley.worker.Worker;

/**
 * Commits the audit trail's head to the node's transparency log: at most once per interval, only when the trail has
 * grown, and once more at shutdown. Each commitment appends an {@link AuditHead} to the log and then records, in the
 * trail, which log index holds which head ({@link AuditAction#HEAD_COMMITTED}).
 *
 * <p>Why batched: the log is public and every entry's timing is visible. Committing after each sign-in would publish
 * when people sign in; committing at most once per interval publishes only whether anything at all was recorded in
 * that interval. The price is that the newest records (at most one interval's worth) are pinned only by the chain
 * until the next commitment.
 */
public final class AuditCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCommitter.class);

    /** How often the head may be committed ({@code parley.json}: {@code "audit": {"commit_every_minutes": 15}}). */
    public record Settings(Duration every) {
        public static final Settings DEFAULT = new Settings(Duration.ofMinutes(15));

        public Settings {
            if (every.isNegative() || every.isZero()) throw new IllegalArgumentException("the audit commit interval must be positive");
        }

        /** The settings in the node's {@code parley.json}, the default where it says nothing. */
        public static Settings load(Path dir) throws IOException {
            Path file = dir.resolve(NodeConfig.FILE);
            if (!Files.exists(file)) return DEFAULT;
            JsonNode audit;
            try {
                audit = Json.parse(Files.readString(file)).path("audit");
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is " + e.getMessage());
            }
            JsonNode minutes = audit.path("commit_every_minutes");
            if (minutes.isMissingNode() || minutes.isNull()) return DEFAULT;
            if (!minutes.canConvertToInt() || !minutes.isIntegralNumber() || minutes.asInt() < 1 || minutes.asInt() > 24 * 60) {
                throw new IOException(file + ": audit.commit_every_minutes must be a whole number of minutes from 1 to 1440");
            }
            return new Settings(Duration.ofMinutes(minutes.asInt()));
        }
    }

    private final AuditTrail trail;
    private final TransparencyLog log;
    private final Duration await;
    private final Worker worker;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Starts committing every {@code settings.every()}, the first time one interval from now; {@code await} bounds the
     * wait for the log to sequence one, {@code random} jitters the retries of a failed commitment; a round commits
     * only while {@code onDuty} holds ({@code Node.runsDuties}).
     */
    public AuditCommitter(AuditTrail trail, TransparencyLog log, Settings settings, Duration await, RandomGenerator random,
                          java.util.function.BooleanSupplier onDuty) {
        this.trail = trail;
        this.log = log;
        this.await = await;
        // The grace covers a whole commitment: interrupting one would break its database connection.
        this.worker = Worker.named("parley-audit-commit").every(settings.every()).firstRoundAfterPeriod().random(random).log(LOG)
                .stopGrace(await.plusSeconds(5)).start(() -> {
                    // one instance commits the shared trail's head; two would each commit it
                    if (onDuty.getAsBoolean()) commitNow();
                    return Worker.IDLE;
                });
    }

    /**
     * Commits the current head if a record other than a commitment came after the last committed head. Returns the
     * {@link AuditAction#HEAD_COMMITTED} record, or empty when there was nothing new (or the log did not sequence the
     * head in time; the next round commits a newer one, and the verifier checks every head the log holds).
     */
    public synchronized Optional<AuditRecord> commitNow() {
        Optional<AuditRecord> newest = trail.latestOtherThan(AuditAction.HEAD_COMMITTED);
        if (newest.isEmpty()) return Optional.empty();
        long committed = trail.latest(AuditAction.HEAD_COMMITTED).flatMap(r -> AuditHead.fromRecord(log.origin(), r))
                .map(c -> c.head().seq()).orElse(0L);
        if (newest.get().seq() <= committed) return Optional.empty();
        AuditRecord top = trail.head().orElseThrow();
        AuditHead head = new AuditHead(log.origin(), top.seq(), top.hash());
        Optional<Long> index = log.store().indexOf(head.ref());
        if (index.isEmpty()) {
            log.append(head.canonical(), head.ref());
            index = log.awaitIndex(head.ref(), await);
        }
        if (index.isEmpty()) return Optional.empty();
        return Optional.of(trail.record(AuditHead.committedEvent(head, index.get())));
    }

    /**
     * Stops the timer and commits what the trail gained since the last commitment (the log must still be open).
     * Closing again does nothing: the node's database may be gone by then.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        worker.close();
        try {
            commitNow();
        } catch (RuntimeException e) {
            LOG.warn("could not commit the audit trail's head to the log at shutdown: {}", e.getMessage());
        }
    }
}
