package io.ravel.admin.state;

/**
 * One admin of an admin group, as the group's replicated state records it.
 *
 * @param raftAddress its Raft address (its identity in the group)
 * @param httpAddress where it serves the HTTP API
 * @param grpcAddress where it serves the RavelClusterAdmin gRPC service
 */
public record AdminMember(String raftAddress, String httpAddress, String grpcAddress) {
}
