package io.ravel.admin.sharding;

import io.ravel.common.Partitioner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which cluster owns each of the 271 partitions ({@code null} = no owner, i.e. no cluster exists).
 * Immutable and thread-safe; every change returns a new table.
 *
 * <p>Changes of membership keep movement minimal: adding a cluster only moves partitions to the new
 * cluster, removing one only moves that cluster's partitions, and no cluster ever owns more than
 * {@link BoundedLoadRing#capacity(int)}. The pure bounded-load walk ({@link BoundedLoadRing#assign()})
 * is a function of the set of clusters but can shift partitions between old clusters when one is
 * added (a full cluster pushes a partition further along the ring), so a table evolves from the
 * previous one instead of being recomputed: see {@link #withClusterAdded} and {@link #withClusterRemoved}.
 */
public final class OwnerTable {

    /** One partition changing hands. */
    public record Move(int partition, String from, String to) {
    }

    private final String[] owners;

    private OwnerTable(String[] owners) {
        if (owners.length != Partitioner.PARTITIONS) {
            throw new IllegalArgumentException("an owner table has " + Partitioner.PARTITIONS + " entries");
        }
        this.owners = owners;
    }

    public static OwnerTable empty() {
        return new OwnerTable(new String[Partitioner.PARTITIONS]);
    }

    public static OwnerTable of(List<String> owners) {
        return new OwnerTable(owners.toArray(new String[0]));
    }

    public static OwnerTable allTo(String cluster) {
        String[] o = new String[Partitioner.PARTITIONS];
        Arrays.fill(o, Objects.requireNonNull(cluster));
        return new OwnerTable(o);
    }

    /** The table the pure bounded-load ring gives for exactly these clusters. */
    public static OwnerTable ringFor(Set<String> clusters) {
        return new OwnerTable(new BoundedLoadRing(clusters).assign());
    }

    public String owner(int partition) {
        return owners[partition];
    }

    public boolean isEmpty() {
        for (String o : owners) {
            if (o != null) {
                return false;
            }
        }
        return true;
    }

    /** The clusters that own at least one partition, sorted. */
    public Set<String> clusters() {
        TreeSet<String> set = new TreeSet<>();
        for (String o : owners) {
            if (o != null) {
                set.add(o);
            }
        }
        return set;
    }

    public int load(String cluster) {
        int n = 0;
        for (String o : owners) {
            if (cluster.equals(o)) {
                n++;
            }
        }
        return n;
    }

    public Map<String, Integer> loads() {
        Map<String, Integer> loads = new TreeMap<>();
        for (String o : owners) {
            if (o != null) {
                loads.merge(o, 1, Integer::sum);
            }
        }
        return loads;
    }

    /** The partitions {@code cluster} owns, in order. */
    public List<Integer> partitionsOf(String cluster) {
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < owners.length; p++) {
            if (cluster.equals(owners[p])) {
                partitions.add(p);
            }
        }
        return partitions;
    }

    public List<String> asList() {
        return Arrays.asList(owners.clone());
    }

    public OwnerTable withOwner(int partition, String cluster) {
        String[] o = owners.clone();
        o[partition] = cluster;
        return new OwnerTable(o);
    }

    /** The moves that turn this table into {@code target}, in partition order. */
    public List<Move> movesTo(OwnerTable target) {
        List<Move> moves = new ArrayList<>();
        for (int p = 0; p < owners.length; p++) {
            if (!Objects.equals(owners[p], target.owners[p])) {
                moves.add(new Move(p, owners[p], target.owners[p]));
            }
        }
        return moves;
    }

    /**
     * This table with {@code added} on the ring. Only partitions moving to {@code added} change owner:
     * first each old cluster above the new capacity gives up its excess (partitions the new ring gives
     * to {@code added} first, then those nearest to {@code added} on the ring), then {@code added} takes
     * the other partitions the new ring gives it while it stays within the capacity. With more than about
     * twenty clusters the ceiling in the capacity can make this impossible; then the pure ring table for
     * the new set is used, which may also move partitions between old clusters.
     */
    public OwnerTable withClusterAdded(String added) {
        Set<String> old = clusters();
        if (old.contains(added)) {
            return this;
        }
        if (old.isEmpty()) {
            return allTo(added);
        }
        Set<String> all = new TreeSet<>(old);
        all.add(added);
        BoundedLoadRing ring = new BoundedLoadRing(all);
        String[] fresh = ring.assign();
        int cap = ring.capacity();
        String[] next = owners.clone();
        Map<String, Integer> loads = loads();
        int addedLoad = 0;
        for (String cluster : old) {
            int excess = loads.get(cluster) - cap;
            if (excess <= 0) {
                continue;
            }
            List<Integer> candidates = new ArrayList<>();
            for (int p = 0; p < next.length; p++) {
                if (cluster.equals(next[p])) {
                    candidates.add(p);
                }
            }
            candidates.sort(Comparator.<Integer>comparingInt(p -> added.equals(fresh[p]) ? 0 : 1)
                    .thenComparingInt(p -> ring.distance(p, added))
                    .thenComparingInt(p -> p));
            for (int i = 0; i < excess; i++) {
                next[candidates.get(i)] = added;
                addedLoad++;
            }
        }
        for (int p = 0; p < next.length && addedLoad < cap; p++) {
            if (added.equals(fresh[p]) && !added.equals(next[p])) {
                next[p] = added;
                addedLoad++;
            }
        }
        OwnerTable result = new OwnerTable(next);
        return result.maxLoad() <= cap ? result : new OwnerTable(fresh);
    }

    /**
     * This table without {@code removed}: each of its partitions walks the ring of the remaining
     * clusters to the first one below the capacity for one cluster fewer. Other partitions stay put.
     * Removing the last cluster gives the empty table.
     */
    public OwnerTable withClusterRemoved(String removed, Set<String> remaining) {
        Set<String> rest = new TreeSet<>(remaining);
        rest.addAll(clusters());
        rest.remove(removed);
        if (rest.isEmpty()) {
            return empty();
        }
        BoundedLoadRing ring = new BoundedLoadRing(rest);
        int cap = ring.capacity();
        String[] next = owners.clone();
        Map<String, Integer> loads = loads();
        for (int p = 0; p < next.length; p++) {
            if (removed.equals(next[p])) {
                String to = ring.walk(p, c -> loads.getOrDefault(c, 0) + 1 <= cap);
                next[p] = to;
                loads.merge(to, 1, Integer::sum);
            }
        }
        return new OwnerTable(next);
    }

    public int maxLoad() {
        return loads().values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnerTable t && Arrays.equals(owners, t.owners);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(owners);
    }

    @Override
    public String toString() {
        return "OwnerTable" + loads();
    }
}
