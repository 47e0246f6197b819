package io.ravel.robustness.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One network namespace per daemon, each with its own address 198.18.0.x/24 (a range reserved for
 * network tests) on a veth pair into a bridge that this class makes; the test JVM reaches them through
 * the bridge's own address 198.18.0.1. Faults are link and route rules: a host's link set down (it is
 * cut from everyone), or blackhole routes between two hosts in both directions (cut from each other
 * only). {@link #close()} removes the namespaces, their links and the bridge; a leftover of an earlier
 * run that died is removed on start.
 */
public final class NetNamespaces implements Hosts {

    private static final String PREFIX = "rvrb";
    private static final String BRIDGE = PREFIX + "br";

    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, String> nsOf = new LinkedHashMap<>();
    private final List<String[]> blocked = new ArrayList<>();
    private final Thread cleanupHook = new Thread(NetNamespaces::removeAll, "netns-cleanup");

    /** Why namespaces cannot be made here, or null when they can. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network-namespace scenarios need root (running as " + System.getProperty("user.name") + ")";
        }
        String probe = PREFIX + "-probe";
        Shell.run("ip", "netns", "del", probe);
        Shell.Result r = Shell.run("ip", "netns", "add", probe);
        Shell.run("ip", "netns", "del", probe);
        return r.ok() ? null : "`ip netns add` does not work here: " + r.output();
    }

    public NetNamespaces() {
        removeAll();
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        Shell.must("ip", "link", "add", BRIDGE, "type", "bridge");
        Shell.must("ip", "addr", "add", "198.18.0.1/24", "dev", BRIDGE);
        Shell.must("ip", "link", "set", BRIDGE, "up");
    }

    @Override
    public synchronized Host host(String name) {
        return hosts.computeIfAbsent(name, n -> {
            int index = hosts.size() + 2;
            String ns = PREFIX + "-" + index;
            String outside = PREFIX + index + "h";
            String ip = "198.18.0." + index;
            Shell.must("ip", "netns", "add", ns);
            Shell.must("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Shell.must("ip", "link", "set", outside, "master", BRIDGE);
            Shell.must("ip", "link", "set", outside, "up");
            Shell.must("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
            Shell.must("ip", "-n", ns, "link", "set", "eth0", "up");
            Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
            nsOf.put(n, ns);
            return new Host(n, ip, List.of("ip", "netns", "exec", ns));
        });
    }

    /** Cuts the host from every other host and from the test's clients. */
    public void isolate(String name) {
        Shell.must("ip", "link", "set", PREFIX + index(name) + "h", "down");
    }

    public void reconnect(String name) {
        Shell.must("ip", "link", "set", PREFIX + index(name) + "h", "up");
    }

    /** Cuts the two hosts from each other, in both directions; each still reaches everyone else. */
    public synchronized void block(String a, String b) {
        Shell.must("ip", "-n", nsOf.get(a), "route", "add", "blackhole", hosts.get(b).ip() + "/32");
        Shell.must("ip", "-n", nsOf.get(b), "route", "add", "blackhole", hosts.get(a).ip() + "/32");
        blocked.add(new String[]{a, b});
    }

    /** Removes every blackhole route and brings every link up. */
    public synchronized void healAll() {
        for (String[] pair : blocked) {
            Shell.run("ip", "-n", nsOf.get(pair[0]), "route", "del", "blackhole", hosts.get(pair[1]).ip() + "/32");
            Shell.run("ip", "-n", nsOf.get(pair[1]), "route", "del", "blackhole", hosts.get(pair[0]).ip() + "/32");
        }
        blocked.clear();
        for (String name : hosts.keySet()) {
            reconnect(name);
        }
    }

    private String index(String name) {
        return nsOf.get(name).substring(PREFIX.length() + 1);
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** Deletes every namespace and link with this class's prefix (deleting a namespace deletes its veth). */
    private static void removeAll() {
        for (String line : Shell.run("ip", "netns", "list").output().split("\n")) {
            String ns = line.split(" ")[0].trim();
            if (ns.startsWith(PREFIX + "-")) {
                Shell.run("ip", "netns", "del", ns);
            }
        }
        Shell.run("ip", "link", "del", BRIDGE);
    }
}
