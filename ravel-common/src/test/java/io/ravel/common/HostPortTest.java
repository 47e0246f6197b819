package io.ravel.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPortTest {

    @Test
    void parsesHostAndPort() {
        HostPort hp = HostPort.parse("localhost:50000", "--grpcaddr");
        assertEquals("localhost", hp.host());
        assertEquals(50000, hp.port());
        assertEquals("127.0.0.1", hp.ipHost());
        assertEquals("localhost:50000", hp.toString());
    }

    @Test
    void rejectsMalformedAddressesWithTheFlagName() {
        for (String bad : new String[] {"", "localhost", ":5000", "host:", "host:abc", "host:0", "host:70000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HostPort.parse(bad, "--grpcaddr"), bad);
            assertTrue(e.getMessage().startsWith("--grpcaddr"), e.getMessage());
        }
    }

    @Test
    void expandsTilde() {
        String home = System.getProperty("user.home");
        assertEquals(java.nio.file.Path.of(home, "ravel_replica"), UserPaths.expand("~/ravel_replica"));
        assertEquals(java.nio.file.Path.of(home), UserPaths.expand("~"));
        assertTrue(UserPaths.expand("relative/dir").isAbsolute());
    }
}
