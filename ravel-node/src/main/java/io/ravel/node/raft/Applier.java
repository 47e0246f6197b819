package io.ravel.node.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import io.ravel.node.command.Command;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;
import io.ravel.node.storage.StoredValue;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code onApply} call's pending RocksDB write batch and the closures waiting for it. Entries
 * are applied into the batch in log order; {@link #flush()} writes it, then completes their closures.
 *
 * <p>A write with a request id that {@link AppliedRequests} already holds is not applied again: it
 * answers the first attempt's answer. Its own record goes into the same batch as its effect, so a
 * crash never leaves one without the other.
 *
 * <p>The ownership fence ({@link Ownership}): ownership entries go into the same batch and become
 * visible to reads once it is written; a key write (SET, DELETE, GET_AND_DELETE, a BATCH with any
 * entry) for a partition the cluster does not own is refused whole, before its request id is looked
 * at, so a retry after the partition arrived is applied.
 *
 * <p>Threading: the state machine thread only.
 */
final class Applier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
    private static final byte[] EMPTY = new byte[0];

    private final RocksStore store;
    private final MemberDirectory members;
    private final AppliedRequests requests;
    private final Ownership ownership;
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final List<CommandClosure> closures = new ArrayList<>();
    private final List<CommandResult> results = new ArrayList<>();
    private final List<Closure> others = new ArrayList<>();
    private boolean membersChanged;
    private int requestsApplied;
    private long entries;

    Applier(RocksStore store, MemberDirectory members, AppliedRequests requests, Ownership ownership) {
        this.store = store;
        this.members = members;
        this.requests = requests;
        this.ownership = ownership;
    }

    /**
     * Applies one entry into the pending batch. {@code wantResult}: whether anyone reads the result
     * (the leader's closure). Every replica reads what a keyed write needs (the key's version and
     * expiry), since the write's effect depends on it.
     */
    CommandResult apply(Command command, long stampMs, boolean wantResult) throws RocksDBException {
        entries++;
        // the log's clock: the highest leader stamp applied so far, the same on every replica
        long now = requests.advance(batch, stampMs);
        long refused = OwnershipCommands.refusal(ownership, command);
        if (refused >= 0) {
            return CommandResult.wrongOwner(refused);
        }
        if (OwnershipCommands.apply(ownership, batch, command)) {
            return CommandResult.OK;
        }
        if (command instanceof Command.Batch b) {
            for (Command.Set s : b.entries()) {
                once(s, s.requestId(), now, false);
            }
            return CommandResult.OK;
        }
        if (command instanceof Command.BatchOps o) {
            List<CommandResult> parts = new ArrayList<>(o.ops().size());
            for (Command op : o.ops()) {
                // no atomicity across a batch's ops: each is fenced on its own partition
                long opRefused = OwnershipCommands.refusal(ownership, op);
                parts.add(opRefused >= 0 ? CommandResult.wrongOwner(opRefused) : once(op, idOf(op), now, true));
            }
            return CommandResult.of(parts);
        }
        if (command.hasRequestIds()) {
            return once(command, idOf(command), now, true);
        }
        return applyNew(command, now, wantResult);
    }

    /** Applies a command with request id {@code id} (may be empty: none) unless that id was applied. */
    private CommandResult once(Command command, byte[] id, long now, boolean wantResult) throws RocksDBException {
        if (id.length == 0) {
            return applyNew(command, now, wantResult);
        }
        CommandResult earlier = requests.find(batch, id, now);
        if (earlier != null) {
            return earlier;
        }
        CommandResult result = applyNew(command, now, true);
        requests.record(batch, id, now, result);
        requestsApplied++;
        return result;
    }

    private static byte[] idOf(Command command) {
        if (command instanceof Command.Set s) {
            return s.requestId();
        } else if (command instanceof Command.Delete d) {
            return d.requestId();
        } else if (command instanceof Command.GetAndDelete g) {
            return g.requestId();
        }
        return Command.NO_ID;
    }

    /**
     * Applies one command at log time {@code now}. Every keyed write reads the key's stored value on
     * every replica (its version, its expiry), so all replicas decide conditions alike; a key whose
     * deadline is at or before {@code now} counts as absent.
     */
    private CommandResult applyNew(Command command, long now, boolean wantResult) throws RocksDBException {
        if (command instanceof Command.Set s) {
            return set(s, now);
        } else if (command instanceof Command.Delete d) {
            byte[] key = KeyCodec.encode(d.partition(), d.key());
            StoredValue old = StoredValue.decode(store.get(batch, key));
            long current = live(old, now) ? old.version() : 0;
            if (d.ifVersion() != Command.UNCONDITIONAL && d.ifVersion() != current) {
                return CommandResult.conflict(current);
            }
            remove(key, old);
            return current > 0 ? CommandResult.written(current) : CommandResult.NOT_FOUND;
        } else if (command instanceof Command.GetAndDelete g) {
            byte[] key = KeyCodec.encode(g.partition(), g.key());
            StoredValue old = StoredValue.decode(store.get(batch, key));
            remove(key, old);
            return live(old, now) ? new CommandResult(true, old.json(), old.version(), false) : CommandResult.NOT_FOUND;
        } else if (command instanceof Command.Batch b) {
            for (Command.Set s : b.entries()) {
                set(s, now);
            }
            return CommandResult.OK;
        } else if (command instanceof Command.Expire x) {
            for (Command.Expiry e : x.keys()) {
                if (e.expiresAtMs() > now) {
                    continue;
                }
                byte[] key = KeyCodec.encode(e.partition(), e.key());
                StoredValue old = StoredValue.decode(store.get(batch, key));
                if (old != null && old.expiresAtMs() == e.expiresAtMs()) {
                    batch.delete(key);
                }
                batch.delete(ExpiryIndex.key(e.expiresAtMs(), key));
            }
            return CommandResult.OK;
        } else if (command instanceof Command.DeletePartition p) {
            flush();
            store.deletePartition(p.partition());
            return CommandResult.OK;
        } else if (command instanceof Command.MemberAdd m) {
            batch.put(KeyCodec.memberKey(m.member().id()), MemberDirectory.encode(m.member()));
            membersChanged = true;
            return CommandResult.OK;
        } else if (command instanceof Command.MemberRemove r) {
            batch.delete(KeyCodec.memberKey(r.nodeId()));
            membersChanged = true;
            return CommandResult.OK;
        }
        throw new IllegalStateException("unknown command " + command);
    }

    private CommandResult set(Command.Set s, long now) throws RocksDBException {
        byte[] key = KeyCodec.encode(s.partition(), s.key());
        if (s.copy()) {
            return copy(s, key);
        }
        StoredValue old = StoredValue.decode(store.get(batch, key));
        long current = live(old, now) ? old.version() : 0;
        if (s.ifVersion() != Command.UNCONDITIONAL && s.ifVersion() != current) {
            return CommandResult.conflict(current);
        }
        long version = current + 1;
        if (old != null && old.expiresAtMs() != 0 && old.expiresAtMs() != s.expiresAtMs()) {
            batch.delete(ExpiryIndex.key(old.expiresAtMs(), key));
        }
        batch.put(key, new StoredValue(s.value(), version, s.expiresAtMs()).encode());
        if (s.expiresAtMs() != 0) {
            batch.put(ExpiryIndex.key(s.expiresAtMs(), key), EMPTY);
        }
        return CommandResult.written(version);
    }

    /**
     * Stores a relocation copy without reading the key first: a copy lands in a partition this cluster
     * does not own, cleared before the copy began, and keeps its source's version. Were an earlier
     * attempt's copy of the key there with another deadline, its expiry index entry stays behind;
     * that is harmless, as EXPIRE removes a key only when the stored deadline is the one indexed.
     */
    private CommandResult copy(Command.Set s, byte[] key) throws RocksDBException {
        batch.put(key, new StoredValue(s.value(), s.version(), s.expiresAtMs()).encode());
        if (s.expiresAtMs() != 0) {
            batch.put(ExpiryIndex.key(s.expiresAtMs(), key), EMPTY);
        }
        return CommandResult.written(s.version());
    }

    private void remove(byte[] key, StoredValue old) throws RocksDBException {
        if (old == null) {
            return;
        }
        batch.delete(key);
        if (old.expiresAtMs() != 0) {
            batch.delete(ExpiryIndex.key(old.expiresAtMs(), key));
        }
    }

    private static boolean live(StoredValue value, long now) {
        return value != null && !value.expiredAt(now);
    }

    void pending(CommandClosure closure, CommandResult result) {
        closures.add(closure);
        results.add(result);
    }

    void pendingOther(Closure done) {
        others.add(done);
    }

    /** How many entries a failure now rolls back (at least the current one). */
    long unflushed() {
        return Math.max(1, entries);
    }

    /** Writes the pending batch, then completes the closures of the entries it held. */
    void flush() {
        if (batch.count() > 0) {
            store.write(batch);
            batch.clear();
        }
        ownership.publish();
        if (membersChanged) {
            members.reload(store);
            membersChanged = false;
        }
        entries = 0;
        for (int i = 0; i < closures.size(); i++) {
            CommandClosure closure = closures.get(i);
            closure.setResult(results.get(i));
            closure.run(Status.OK());
        }
        for (Closure other : others) {
            other.run(Status.OK());
        }
        closures.clear();
        results.clear();
        others.clear();
        if (requestsApplied > 0) {
            int added = requestsApplied;
            requestsApplied = 0;
            try {
                requests.prune(added);
            } catch (RocksDBException | RuntimeException e) {
                // only space is at stake: expired records already count as absent
                LOG.warn("could not prune expired request ids: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        batch.close();
    }
}
