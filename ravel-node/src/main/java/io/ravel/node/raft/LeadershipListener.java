package io.ravel.node.raft;

/**
 * Told when this replica starts and stops serving as its cluster's leader. Called on the state
 * machine's thread: implementations must return quickly and hand any I/O to another thread.
 */
public interface LeadershipListener {

    void onLeaderStart(long term);

    void onLeaderStop();

    LeadershipListener NONE = new LeadershipListener() {
        @Override
        public void onLeaderStart(long term) {
        }

        @Override
        public void onLeaderStop() {
        }
    };
}
