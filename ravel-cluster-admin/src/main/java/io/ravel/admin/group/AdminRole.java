package io.ravel.admin.group;

import io.ravel.admin.state.AdminMember;
import io.ravel.admin.state.AdminState;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What an admin tells about its place among the admins: its role, the group's size and members, and
 * whether it can serve requests that need the group. A single admin is always the leader of a group of one.
 */
public interface AdminRole {

    /** One admin as GET /clusters lists it; {@code raftAddress} is null for a single admin. */
    record Member(String raftAddress, String httpAddress, String grpcAddress, boolean leader) {
    }

    /** "leader" or "follower". */
    String role();

    int groupSize();

    /** Null when key and membership requests can be served; else the one-line reason for a 503. */
    String unavailable();

    List<Member> members();

    /** The single admin (no --raft/--peers). */
    static AdminRole single(Supplier<String> httpAddress, Supplier<String> grpcAddress) {
        return new AdminRole() {
            @Override
            public String role() {
                return "leader";
            }

            @Override
            public int groupSize() {
                return 1;
            }

            @Override
            public String unavailable() {
                return null;
            }

            @Override
            public List<Member> members() {
                return List.of(new Member(null, httpAddress.get(), grpcAddress.get(), true));
            }
        };
    }

    /** An admin of a group; members are listed in --peers order, with what the replicated admin list knows of each. */
    static AdminRole of(AdminGroup group, AdminState state) {
        return new AdminRole() {
            @Override
            public String role() {
                return group.isLeader() ? "leader" : "follower";
            }

            @Override
            public int groupSize() {
                return group.size();
            }

            @Override
            public String unavailable() {
                if (group.leaderRaftAddress() == null) {
                    return group.noLeaderMessage();
                }
                return group.caughtUp() ? null : group.catchingUpMessage();
            }

            @Override
            public List<Member> members() {
                String leader = group.leaderRaftAddress();
                List<Member> list = new ArrayList<>();
                for (var peer : group.config().peers()) {
                    String raft = GroupConfig.key(peer);
                    AdminMember known = state.admin(raft).orElse(new AdminMember(raft, null, null));
                    list.add(new Member(raft, known.httpAddress(), known.grpcAddress(), raft.equals(leader)));
                }
                return list;
            }
        };
    }
}
