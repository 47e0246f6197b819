package io.ravel.node.raft;

import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;

/** SOFAJRaft's default storages, with the Raft log's appends timed for a {@link RaftObserver}. */
final class ObservedServices extends DefaultJRaftServiceFactory {

    private final RaftObserver observer;

    ObservedServices(RaftObserver observer) {
        this.observer = observer;
    }

    @Override
    public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
        return new ObservedLogStorage(super.createLogStorage(uri, raftOptions), observer);
    }
}
