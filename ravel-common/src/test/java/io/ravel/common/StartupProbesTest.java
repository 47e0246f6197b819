package io.ravel.common;

import io.ravel.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupProbesTest {

    @TempDir
    Path tmp;

    @Test
    void aTakenPortIsInUseAndAFreedOneIsFree() throws IOException {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            assertEquals(Optional.of(StartupProbes.IN_USE),
                    StartupProbes.whyCannotListen(new HostPort("127.0.0.1", port)));
        }
        assertEquals(Optional.empty(), StartupProbes.whyCannotListen(new HostPort("127.0.0.1", FreePorts.next())));
        assertEquals(Optional.empty(), StartupProbes.whyCannotListen(new HostPort("127.0.0.1", 0)));
    }

    @Test
    void anUnknownHostIsNamed() {
        assertEquals(Optional.of(StartupProbes.UNKNOWN_HOST),
                StartupProbes.whyCannotListen(new HostPort("no-such-host.invalid", 4242)));
    }

    @Test
    void bindFailuresOfEveryLayerAreClassifiedOnce() {
        assertEquals(StartupProbes.IN_USE, StartupProbes.bindFailure(
                new IOException("Failed to bind to address /127.0.0.1:5000", new BindException("Address already in use"))));
        assertEquals(StartupProbes.IN_USE, StartupProbes.bindFailure(
                new IllegalStateException("wrapped", new BindException("Address in use"))));
        String other = StartupProbes.bindFailure(new BindException("Cannot assign requested address\nsecond line"));
        assertEquals("cannot listen on this address (Cannot assign requested address)", other);
        assertEquals("cannot listen on this address (IOException)", StartupProbes.bindFailure(new IOException()));
    }

    @Test
    void aDirIsCreatedAndProbedForWrites() throws IOException {
        assertEquals(Optional.empty(), StartupProbes.whyNotWritableDir(tmp.resolve("new/sub")));
        assertTrue(Files.isDirectory(tmp.resolve("new/sub")));
        try (var files = Files.list(tmp.resolve("new/sub"))) {
            assertEquals(0, files.count(), "the probe file is removed");
        }
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertEquals(Optional.of("exists and is not a directory"), StartupProbes.whyNotWritableDir(file));
        Optional<String> under = StartupProbes.whyNotWritableDir(file.resolve("sub"));
        assertTrue(under.isPresent() && under.get().startsWith("cannot be created: "), under.toString());
    }
}
