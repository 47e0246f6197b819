package io.ravel.node.command;

import io.ravel.common.HostPort;

import java.util.Objects;

/** One replica of the cluster as recorded in the Raft log: its id and both of its addresses. */
public record Member(String id, String grpcAddress, String raftAddress) {

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        Objects.requireNonNull(raftAddress, "raftAddress");
    }

    /** The Raft endpoint as SOFAJRaft spells a peer ({@code ip:port}, localhost as 127.0.0.1). */
    public String raftEndpoint() {
        return endpointOf(raftAddress);
    }

    /** {@code address} in SOFAJRaft's peer spelling ({@code localhost} becomes {@code 127.0.0.1}). */
    public static String endpointOf(String address) {
        HostPort hp = HostPort.parse(address, "raft address");
        return hp.ipHost() + ":" + hp.port();
    }
}
