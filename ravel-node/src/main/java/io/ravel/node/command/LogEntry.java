package io.ravel.node.command;

import java.util.Objects;

/**
 * One Raft log entry: a command and the leader's wall-clock time when it proposed it (milliseconds
 * since the epoch; 0 in entries that carry no request id, where no replica needs it). Every replica
 * reads the same stamp from the log, so decisions based on it agree.
 */
public record LogEntry(Command command, long stampMs) {

    public LogEntry {
        Objects.requireNonNull(command, "command");
    }
}
