package io.ravel.node.raft;

import io.ravel.node.command.Command;
import io.ravel.node.command.CommandCodec;
import io.ravel.node.command.Member;
import io.ravel.node.storage.KeyCodec;
import io.ravel.node.storage.RocksStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's members as the applied log records them (id, gRPC and Raft addresses), cached in
 * memory and reloaded from the store whenever a membership entry is applied or a snapshot loaded.
 * Lets any replica turn the Raft leader's peer id into its gRPC address. Thread-safe.
 */
public final class MemberDirectory {

    private volatile Map<String, Member> byId = Map.of();

    /** The stored value of a membership entry. */
    static byte[] encode(Member member) {
        return CommandCodec.encode(new Command.MemberAdd(member));
    }

    void reload(RocksStore store) {
        Map<String, Member> fresh = new ConcurrentHashMap<>();
        store.scan(KeyCodec.membersStart(), KeyCodec.membersEnd(), 64, entries -> {
            for (RocksStore.Entry e : entries) {
                Command c = CommandCodec.decode(e.value());
                if (c instanceof Command.MemberAdd add) {
                    fresh.put(add.member().id(), add.member());
                }
            }
        });
        byId = fresh;
    }

    public Member byId(String id) {
        return byId.get(id);
    }

    /** The member whose Raft address is {@code endpoint} ({@code ip:port}), or null. */
    public Member byRaftEndpoint(String endpoint) {
        for (Member m : byId.values()) {
            try {
                if (m.raftEndpoint().equals(endpoint)) {
                    return m;
                }
            } catch (IllegalArgumentException ignored) {
                // a malformed address never matches
            }
        }
        return null;
    }

    public List<Member> all() {
        return new ArrayList<>(byId.values());
    }
}
