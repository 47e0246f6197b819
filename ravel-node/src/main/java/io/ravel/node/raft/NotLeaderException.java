package io.ravel.node.raft;

/** This replica does not serve as leader; {@link #leaderGrpcAddress()} is the leader's address, or null if unknown. */
public final class NotLeaderException extends RuntimeException {

    private final String leaderGrpcAddress;

    public NotLeaderException(String leaderGrpcAddress) {
        super(leaderGrpcAddress == null ? "not the leader; leader unknown" : "not the leader; leader is " + leaderGrpcAddress);
        this.leaderGrpcAddress = leaderGrpcAddress;
    }

    public String leaderGrpcAddress() {
        return leaderGrpcAddress;
    }
}
