package io.ravel.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every listener of both daemons is bound to the address it was given, never to every interface: the
 * Raft port also serves SOFAJRaft's membership commands, so it must not be reachable from elsewhere.
 */
@Timeout(180)
class ListenAddressTest extends ProcessClusterTest {

    @BeforeAll
    void startAnAdminAndALeader() {
        newSystem("listen");
        startAdmin("");
        system.startNode("leader1", true);
    }

    @Test
    void everyListeningSocketIsOnTheGivenLoopbackAddress() {
        assertOnlyOnLoopback("admin", system.process("admin").pid(),
                Set.of(port(system.adminHttp()), port(system.adminGrpc())));
        String raft = raftAddress(system.process("leader1").commandLine());
        assertOnlyOnLoopback("leader1", system.process("leader1").pid(),
                Set.of(port(system.grpcAddress("leader1")), port(raft)));
    }

    private static void assertOnlyOnLoopback(String name, long pid, Set<Integer> expectedPorts) {
        List<ListeningSockets.Listener> listeners = ListeningSockets.of(pid);
        assertFalse(listeners.isEmpty(), name + " listens on nothing?");
        for (ListeningSockets.Listener l : listeners) {
            assertFalse(l.wildcard(), name + " listens on every interface: " + l);
            assertEquals("127.0.0.1", l.address(), name + " listens on " + l);
        }
        Set<Integer> ports = listeners.stream().map(ListeningSockets.Listener::port).collect(Collectors.toSet());
        assertTrue(ports.containsAll(expectedPorts), name + " listens on " + listeners + ", expected ports " + expectedPorts);
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** The -r="host:port" of a node's command line. */
    private static String raftAddress(String commandLine) {
        int at = commandLine.indexOf(" -r=\"") + 5;
        return commandLine.substring(at, commandLine.indexOf('"', at));
    }
}
