package io.ravel.admin.group;

import io.ravel.admin.state.AdminState;
import io.ravel.admin.state.AdminStateStore;
import io.ravel.admin.state.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves a single admin's state into a new admin group: an admin started with --raft/--peers on a
 * --backupPath that a single admin wrote (its {@code state/} store) proposes that state as the group's
 * first change when it is the first leader of a still empty group, then renames the old store to
 * {@code state.moved-to-group} so it is never read again.
 */
final class SingleAdminSeed {

    private static final Logger LOG = LoggerFactory.getLogger(SingleAdminSeed.class);
    static final String MOVED = "state.moved-to-group";

    private final Path backupPath;

    SingleAdminSeed(Path backupPath) {
        this.backupPath = backupPath;
    }

    /** On the admin leader: seeds the group from the old store if there is one and the group holds nothing yet. */
    void seedIfNeeded(AdminState state) {
        Path old = backupPath.resolve("state");
        if (!Files.isDirectory(old)) {
            return;
        }
        if (state.clusterCount() > 0 || !state.owners().isEmpty()) {
            LOG.warn("{} holds a single admin's state, but the admin group already has its own; the old state is ignored", old);
            return;
        }
        StateChange change = new StateChange();
        int clusters;
        try (AdminStateStore store = AdminStateStore.open(backupPath)) {
            AdminStateStore.Contents c = store.load();
            c.clusters().values().forEach(change::putCluster);
            c.replicas().values().forEach(change::putReplica);
            change.owners(c.owners()).plan(c.plan()).ownerEpoch(c.ownerEpoch());
            clusters = c.clusters().size();
        }
        state.commit(change);
        try {
            Files.move(old, backupPath.resolve(MOVED));
        } catch (IOException e) {
            LOG.warn("could not rename {} after moving it into the admin group: {}", old, e.getMessage());
        }
        LOG.info("the single admin's state in {} ({} clusters) is now the admin group's", old, clusters);
    }

}
