package io.ravel.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: the kernel's socket tables
 * ({@code /proc/PID/net/tcp}, {@code tcp6}) hold every socket of the network namespace, and the
 * process's file descriptors ({@code /proc/PID/fd}, links to {@code socket:[inode]}) say which are its own.
 */
final class ListeningSockets {

    /** One listening socket: its local address as text (e.g. {@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::}) and port. */
    record Listener(String address, int port) {
        boolean wildcard() {
            return address.equals("0.0.0.0") || address.equals("::");
        }
    }

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    static List<Listener> of(long pid) {
        List<Listener> out = new ArrayList<>();
        for (String[] f : listenerRows(pid)) {
            String[] local = f[1].split(":");
            out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
        }
        return out;
    }

    /**
     * How many connections wait in the accept queue of the process's listener on {@code port}: established
     * by the kernel, not yet accepted by the process (for a listening socket the kernel's table shows that
     * count as its rx_queue). -1 if the process has no listener on that port.
     */
    static int acceptQueue(long pid, int port) {
        for (String[] f : listenerRows(pid)) {
            if (Integer.parseInt(f[1].split(":")[1], 16) == port) {
                return Integer.parseInt(f[4].split(":")[1], 16);
            }
        }
        return -1;
    }

    /** The rows (split into fields) of the kernel's socket tables that are listeners of the process. */
    private static List<String[]> listenerRows(long pid) {
        Set<String> inodes = socketInodes(pid);
        List<String[]> rows = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                        rows.add(f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing is not a listener
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    private static String ipv4(byte[] b, int at) {
        return (b[at] & 0xFF) + "." + (b[at + 1] & 0xFF) + "." + (b[at + 2] & 0xFF) + "." + (b[at + 3] & 0xFF);
    }

    /** {@code ::ffff:a.b.c.d} */
    private static boolean ipv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    /** The kernel writes addresses as hex words in host (little-endian) byte order. */
    private static String address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        if (bytes.length == 4) {
            return ipv4(bytes, 0);
        }
        if (ipv4Mapped(bytes)) {
            return ipv4(bytes, 12); // a JVM's dual-stack socket bound to an IPv4 address
        }
        boolean zero = true;
        for (byte b : bytes) {
            zero &= b == 0;
        }
        if (zero) {
            return "::";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            s.append(i == 0 ? "" : ":").append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)));
        }
        return s.toString();
    }
}
