package io.ravel.admin.relocation;

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

    public static RelocationSettings fromEnvironment() {
        String raw = System.getProperty(DELAY_PROPERTY);
        if (raw == null || raw.isBlank()) {
            raw = System.getenv(DELAY_ENV);
        }
        long delay = 0;
        if (raw != null && !raw.isBlank()) {
            try {
                delay = Math.max(0, Long.parseLong(raw.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(DELAY_PROPERTY + " must be a number of milliseconds, not '" + raw + "'");
            }
        }
        return new RelocationSettings(Duration.ofMillis(delay), DEFAULT_SCAN_BATCH);
    }
}
