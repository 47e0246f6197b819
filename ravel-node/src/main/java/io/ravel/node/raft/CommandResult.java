package io.ravel.node.raft;

/**
 * What applying a command produced, as the leader reports it back: whether the key existed (always
 * true for writes that do not ask) and, for GET_AND_DELETE, the value it had.
 */
public record CommandResult(boolean found, byte[] value) {

    public static final CommandResult OK = new CommandResult(true, null);
    public static final CommandResult NOT_FOUND = new CommandResult(false, null);
}
