package io.ravel.node.raft;

import java.util.List;

/**
 * What applying a command produced, as the leader reports it back: whether the key existed (always
 * true for writes that do not ask), for GET_AND_DELETE the value it had, the key's version (after a
 * write: its new version; 0 where not known), and whether a condition ({@code ifVersion}) failed, in
 * which case nothing was written and {@code version} is the key's current version (0: absent).
 * {@code ownerEpoch} is -1 unless the cluster does not own the command's partition: then nothing
 * was written and it is the cluster's ownership epoch (see {@link Ownership}).
 * A BATCH_OPS entry answers with {@code parts}: one result per op, in order (empty otherwise).
 */
public record CommandResult(boolean found, byte[] value, long version, boolean conflict, long ownerEpoch,
                            List<CommandResult> parts) {

    public static final CommandResult OK = new CommandResult(true, null);
    public static final CommandResult NOT_FOUND = new CommandResult(false, null);

    public CommandResult {
        parts = List.copyOf(parts);
    }

    public CommandResult(boolean found, byte[] value, long version, boolean conflict) {
        this(found, value, version, conflict, -1, List.of());
    }

    public CommandResult(boolean found, byte[] value) {
        this(found, value, 0, false);
    }

    /** The result of a BATCH_OPS entry: one result per op. */
    public static CommandResult of(List<CommandResult> parts) {
        return new CommandResult(true, null, 0, false, -1, parts);
    }

    /** A write that applied and left the key at {@code version}. */
    public static CommandResult written(long version) {
        return new CommandResult(true, null, version, false);
    }

    /** A key write refused because this cluster does not own its partition; it is at ownership {@code epoch}. */
    public static CommandResult wrongOwner(long epoch) {
        return new CommandResult(false, null, 0, false, epoch, List.of());
    }

    /** Whether the command was refused by the ownership fence. */
    public boolean wrongOwner() {
        return ownerEpoch >= 0;
    }

    /** A conditional write that did not apply: the key is at {@code current} (0: absent). */
    public static CommandResult conflict(long current) {
        return new CommandResult(current > 0, null, current, true);
    }
}
