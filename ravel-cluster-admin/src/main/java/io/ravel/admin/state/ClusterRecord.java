package io.ravel.admin.state;

/**
 * One cluster as the admin persists it.
 *
 * @param id       the cluster id (a UUID chosen by the admin; also the Raft group id)
 * @param onRing   whether the cluster takes part in the partition ring (false until its relocation is
 *                 planned, so a new cluster owns nothing before data is moved to it)
 * @param leaving  whether its last replica asked to leave and its partitions are being moved away
 * @param leaderId node id of the last known leader, or null
 */
public record ClusterRecord(String id, boolean onRing, boolean leaving, String leaderId) {

    public ClusterRecord withLeader(String nodeId) {
        return new ClusterRecord(id, onRing, leaving, nodeId);
    }

    public ClusterRecord onRing(boolean value) {
        return new ClusterRecord(id, value, leaving, leaderId);
    }

    public ClusterRecord leaving(boolean value) {
        return new ClusterRecord(id, onRing, value, leaderId);
    }
}
