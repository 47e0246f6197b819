package io.ravel.admin.group;

import io.ravel.common.HostPort;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The admin group an admin belongs to: its own Raft address and every member's (itself included),
 * as given by {@code --raft} and {@code --peers}. Every admin of a group is started with the same peers.
 */
public record GroupConfig(HostPort raft, List<HostPort> peers) {

    public GroupConfig {
        Objects.requireNonNull(raft, "raft");
        peers = List.copyOf(peers);
        if (!peers.contains(raft)) {
            throw new IllegalArgumentException("--peers must list this admin's own --raft address " + raft);
        }
    }

    /** Parses the flags; both or neither must be given. Null when neither is (a single admin). */
    public static GroupConfig parse(String raft, String peers) {
        if (raft == null && peers == null) {
            return null;
        }
        if (raft == null || peers == null) {
            throw new IllegalArgumentException("--raft and --peers go together: give both to run in an admin group,"
                    + " or neither for a single admin");
        }
        HostPort self = HostPort.parse(raft.trim(), "--raft");
        if (self.port() == 0) {
            throw new IllegalArgumentException("--raft needs a fixed port (the other admins must find it)");
        }
        Set<HostPort> list = new LinkedHashSet<>();
        for (String part : peers.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            if (!list.add(HostPort.parse(part.trim(), "--peers"))) {
                throw new IllegalArgumentException("--peers lists " + part.trim() + " twice");
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--peers is empty: list the Raft address of every admin, this one included");
        }
        return new GroupConfig(self, new ArrayList<>(list));
    }

    /** The form an admin's Raft address takes in the group's state and answers: ip:port ("localhost" as 127.0.0.1). */
    public static String key(HostPort address) {
        return address.ipHost() + ":" + address.port();
    }

    /** How many admins must be up for the group to serve: a majority of the peers. */
    public int majority() {
        return peers.size() / 2 + 1;
    }
}
