package io.ravel.admin.relocation;

import io.ravel.common.Settings;

import java.time.Duration;
import java.util.Optional;

/**
 * Test-only settings of relocation, read in this one place, each from a system property or, when that
 * is unset, an environment variable. Unset in production: no pause.
 * <ul>
 *   <li>{@code ravel.relocation.delayMs} / {@code RAVEL_RELOCATION_DELAY_MS}: pauses that many
 *       milliseconds before each partition move, so a test can kill the admin in the middle of a
 *       relocation;</li>
 *   <li>{@code ravel.relocation.pauseAt} / {@code RAVEL_RELOCATION_PAUSE_AT} = {@code copy}, {@code switch}
 *       or {@code delete}: the first move that reaches that point stops there for good (see
 *       {@link PausePoint}) and the admin logs {@value #PAUSED_LOG}, so a test can kill the admin at that
 *       exact step.</li>
 *   <li>{@code ravel.relocation.groupSize} / {@code RAVEL_RELOCATION_GROUP_SIZE}: at most this many
 *       partitions move in one attempt (default {@value #DEFAULT_GROUP_SIZE}); their client operations
 *       are held together, for the time the whole group takes to copy.</li>
 * </ul>
 */
public record RelocationSettings(Duration delayPerPartition, int scanBatchSize, Optional<PausePoint> pauseAt,
                                 int groupSize) {

    public static final String DELAY_PROPERTY = "ravel.relocation.delayMs";
    public static final String DELAY_ENV = "RAVEL_RELOCATION_DELAY_MS";
    public static final String PAUSE_PROPERTY = "ravel.relocation.pauseAt";
    public static final String PAUSE_ENV = "RAVEL_RELOCATION_PAUSE_AT";
    /** The start of the line logged when a move stops at its pause point. */
    public static final String PAUSED_LOG = "relocation paused at";
    /** Keys per ScanPartition batch, and so per WriteBatch Raft entry on the new owner. */
    public static final int DEFAULT_SCAN_BATCH = 512;
    public static final String GROUP_PROPERTY = "ravel.relocation.groupSize";
    public static final String GROUP_ENV = "RAVEL_RELOCATION_GROUP_SIZE";
    /** Partitions per move attempt when unset. */
    public static final int DEFAULT_GROUP_SIZE = 32;

    /** Where a move can be stopped for a test, in the order a move passes them. */
    public enum PausePoint {
        /** The partition is copied to the new owner and still held; the owner has not switched. */
        COPY,
        /** The owner has switched (persisted) and the partition is released; the old copy is not deleted yet. */
        SWITCH,
        /** The old copy is deleted; the move has not left the plan yet. */
        DELETE
    }

    public RelocationSettings {
        pauseAt = pauseAt == null ? Optional.empty() : pauseAt;
        if (groupSize < 1) {
            throw new IllegalArgumentException(GROUP_PROPERTY + " must be at least 1, not " + groupSize);
        }
    }

    public RelocationSettings(Duration delayPerPartition, int scanBatchSize, Optional<PausePoint> pauseAt) {
        this(delayPerPartition, scanBatchSize, pauseAt, DEFAULT_GROUP_SIZE);
    }

    public RelocationSettings(Duration delayPerPartition, int scanBatchSize) {
        this(delayPerPartition, scanBatchSize, Optional.empty());
    }

    /** Reads the knobs; a bad value is an IllegalArgumentException naming the setting. */
    public static RelocationSettings fromEnvironment() {
        long delay = Settings.nonNegative(DELAY_PROPERTY, DELAY_ENV, 0, "milliseconds");
        Optional<PausePoint> pause = Settings.oneOf(PAUSE_PROPERTY, PAUSE_ENV, PausePoint.class);
        long group = Settings.nonNegative(GROUP_PROPERTY, GROUP_ENV, DEFAULT_GROUP_SIZE, "partitions");
        if (group < 1 || group > io.ravel.common.Partitioner.PARTITIONS) {
            throw new IllegalArgumentException(GROUP_PROPERTY + " must be between 1 and "
                    + io.ravel.common.Partitioner.PARTITIONS + ", not " + group);
        }
        return new RelocationSettings(Duration.ofMillis(delay), DEFAULT_SCAN_BATCH, pause, (int) group);
    }
}
