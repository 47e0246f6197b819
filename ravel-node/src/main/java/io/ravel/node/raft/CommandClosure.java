package io.ravel.node.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import io.ravel.node.command.Command;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The leader's closure of one log entry. It carries the command itself, so the leader's state
 * machine never decodes its own entries, and completes {@link #future()} once the entry is applied
 * (or failed by Raft).
 */
final class CommandClosure implements Closure {

    private final Command command;
    private final CompletableFuture<CommandResult> future = new CompletableFuture<>();
    private final Function<Status, RuntimeException> failure;
    private volatile CommandResult result = CommandResult.OK;

    CommandClosure(Command command, Function<Status, RuntimeException> failure) {
        this.command = command;
        this.failure = failure;
    }

    Command command() {
        return command;
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
