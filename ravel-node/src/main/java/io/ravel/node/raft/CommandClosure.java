package io.ravel.node.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import io.ravel.node.command.LogEntry;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The leader's closure of one log entry. It carries the entry itself (command and stamp), so the
 * leader's state machine never decodes its own entries, and completes {@link #future()} once the entry is applied
 * (or failed by Raft).
 */
final class CommandClosure implements Closure {

    private final LogEntry entry;
    private final CompletableFuture<CommandResult> future = new CompletableFuture<>();
    private final Function<Status, RuntimeException> failure;
    private volatile CommandResult result = CommandResult.OK;

    CommandClosure(LogEntry entry, Function<Status, RuntimeException> failure) {
        this.entry = entry;
        this.failure = failure;
    }

    LogEntry entry() {
        return entry;
    }

    CompletableFuture<CommandResult> future() {
        return future;
    }

    /** Set by the state machine before {@link #run}. */
    void setResult(CommandResult result) {
        this.result = result;
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            future.complete(result);
        } else {
            future.completeExceptionally(failure.apply(status));
        }
    }
}
