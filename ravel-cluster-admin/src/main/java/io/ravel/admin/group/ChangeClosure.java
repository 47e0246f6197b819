package io.ravel.admin.group;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import io.ravel.admin.state.StateChange;

import java.util.concurrent.CompletableFuture;

/** Carries a change proposed on the admin leader to its apply, and tells the proposer how it ended. */
record ChangeClosure(StateChange change, CompletableFuture<Status> result) implements Closure {

    @Override
    public void run(Status status) {
        result.complete(status);
    }
}
