package io.ravel.admin.relocation;

import io.ravel.admin.relocation.RelocationSettings.PausePoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test-only relocation knobs, read from system properties (the environment is left unset). */
class RelocationSettingsTest {

    @AfterEach
    void clear() {
        System.clearProperty(RelocationSettings.DELAY_PROPERTY);
        System.clearProperty(RelocationSettings.PAUSE_PROPERTY);
        System.clearProperty(RelocationSettings.GROUP_PROPERTY);
    }

    @Test
    void unsetMeansNoDelayAndNoPause() {
        RelocationSettings s = RelocationSettings.fromEnvironment();
        assertEquals(Duration.ZERO, s.delayPerPartition());
        assertEquals(Optional.empty(), s.pauseAt());
        assertEquals(RelocationSettings.DEFAULT_SCAN_BATCH, s.scanBatchSize());
        assertEquals(RelocationSettings.DEFAULT_GROUP_SIZE, s.groupSize());
    }

    @Test
    void theGroupSizeIsBetweenOneAndEveryPartition() {
        System.setProperty(RelocationSettings.GROUP_PROPERTY, "1");
        assertEquals(1, RelocationSettings.fromEnvironment().groupSize());
        System.setProperty(RelocationSettings.GROUP_PROPERTY, "0");
        assertThrows(IllegalArgumentException.class, RelocationSettings::fromEnvironment);
        System.setProperty(RelocationSettings.GROUP_PROPERTY, "272");
        assertThrows(IllegalArgumentException.class, RelocationSettings::fromEnvironment);
    }

    @Test
    void eachPausePointIsNamedInAnyCase() {
        System.setProperty(RelocationSettings.PAUSE_PROPERTY, "copy");
        assertEquals(Optional.of(PausePoint.COPY), RelocationSettings.fromEnvironment().pauseAt());
        System.setProperty(RelocationSettings.PAUSE_PROPERTY, "Switch");
        assertEquals(Optional.of(PausePoint.SWITCH), RelocationSettings.fromEnvironment().pauseAt());
        System.setProperty(RelocationSettings.PAUSE_PROPERTY, " delete ");
        assertEquals(Optional.of(PausePoint.DELETE), RelocationSettings.fromEnvironment().pauseAt());
        System.setProperty(RelocationSettings.DELAY_PROPERTY, "40");
        assertEquals(Duration.ofMillis(40), RelocationSettings.fromEnvironment().delayPerPartition());
    }

    @Test
    void aBadValueIsOneClearMessage() {
        System.setProperty(RelocationSettings.PAUSE_PROPERTY, "later");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, RelocationSettings::fromEnvironment);
        assertEquals("ravel.relocation.pauseAt (or RAVEL_RELOCATION_PAUSE_AT) must be one of copy, switch, delete,"
                + " not 'later'", e.getMessage());
    }
}
