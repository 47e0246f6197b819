package io.ravel.common;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    private static final String PROPERTY = "ravel.test.settingSecs";
    private static final String ENV = "RAVEL_TEST_SETTING_SECS_UNSET";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void unsetOrBlankGivesTheDefault() {
        assertEquals(30, Settings.nonNegative(PROPERTY, ENV, 30, "seconds"));
        System.setProperty(PROPERTY, "  ");
        assertEquals(30, Settings.nonNegative(PROPERTY, ENV, 30, "seconds"));
    }

    @Test
    void aWholeNumberIsTaken() {
        System.setProperty(PROPERTY, " 7 ");
        assertEquals(7, Settings.nonNegative(PROPERTY, ENV, 30, "seconds"));
        System.setProperty(PROPERTY, "0");
        assertEquals(0, Settings.nonNegative(PROPERTY, ENV, 30, "seconds"));
    }

    @Test
    void aBadValueIsOneLineNamingTheSettingNeverTheDefault() {
        for (String bad : new String[] {"abc", "-1", "1.5", "99999999999999999999"}) {
            System.setProperty(PROPERTY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.nonNegative(PROPERTY, ENV, 30, "seconds"));
            assertTrue(e.getMessage().contains(PROPERTY) && e.getMessage().contains(ENV)
                    && e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    private enum Step { COPY, SWITCH }

    @Test
    void oneOfNamesAConstantInAnyCaseOrIsEmpty() {
        assertEquals(java.util.Optional.empty(), Settings.oneOf(PROPERTY, ENV, Step.class));
        System.setProperty(PROPERTY, " Switch ");
        assertEquals(java.util.Optional.of(Step.SWITCH), Settings.oneOf(PROPERTY, ENV, Step.class));
        System.setProperty(PROPERTY, "later");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.oneOf(PROPERTY, ENV, Step.class));
        assertEquals(PROPERTY + " (or " + ENV + ") must be one of copy, switch, not 'later'", e.getMessage());
    }
}
