package io.ravel.robustness.system;

import java.util.List;

/**
 * Where one daemon runs: its own IP address, and the prefix that runs a command there (empty on the
 * test's own network stack, {@code ip netns exec NS} in a network namespace).
 */
public record Host(String name, String ip, List<String> prefix) {
}
