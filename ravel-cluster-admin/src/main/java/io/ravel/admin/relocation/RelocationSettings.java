package io.ravel.admin.relocation;

import io.ravel.common.Settings;

import java.time.Duration;

/**
 * Test-only settings of relocation, read in this one place. {@code ravel.relocation.delayMs} (system
 * property) or {@code RAVEL_RELOCATION_DELAY_MS} (environment) pauses before each partition move, so a
 * test can kill the admin in the middle of a relocation. Unset in production: no pause.
 */
public record RelocationSettings(Duration delayPerPartition, int scanBatchSize) {

    public static final String DELAY_PROPERTY = "ravel.relocation.delayMs";
    public static final String DELAY_ENV = "RAVEL_RELOCATION_DELAY_MS";
    /** Keys per ScanPartition batch, and so per WriteBatch Raft entry on the new owner. */
    public static final int DEFAULT_SCAN_BATCH = 512;

    /** Reads the delay; a value that is not a whole number of milliseconds is an IllegalArgumentException. */
    public static RelocationSettings fromEnvironment() {
        long delay = Settings.nonNegative(DELAY_PROPERTY, DELAY_ENV, 0, "milliseconds");
        return new RelocationSettings(Duration.ofMillis(delay), DEFAULT_SCAN_BATCH);
    }
}
