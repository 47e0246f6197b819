package io.ravel.admin.sharding;

import io.ravel.common.Partitioner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2016) over a set of clusters.
 *
 * <p>Each cluster has {@link #POINTS_PER_CLUSTER} points on a 64-bit ring at xxHash64("&lt;i&gt;:&lt;clusterId&gt;").
 * Partition p sits at xxHash64 of p as 8 little-endian bytes and walks the ring clockwise to the first
 * cluster that can take one more partition without exceeding {@link #capacity(int)}. Points are ordered
 * by (unsigned hash, cluster id), so the ring depends only on the set of clusters, never on the order in
 * which they were given. Immutable and thread-safe.
 */
public final class BoundedLoadRing {

    public static final int POINTS_PER_CLUSTER = 40;
    public static final double LOAD_FACTOR = 1.2;

    private record Point(long hash, String cluster) {
    }

    private static final Comparator<Point> ORDER =
            Comparator.<Point>comparingLong(pt -> pt.hash ^ Long.MIN_VALUE).thenComparing(pt -> pt.cluster);

    private final List<String> clusters;
    private final Point[] points;

    public BoundedLoadRing(Collection<String> clusterIds) {
        TreeSet<String> sorted = new TreeSet<>(clusterIds);
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one cluster");
        }
        this.clusters = List.copyOf(sorted);
        List<Point> all = new ArrayList<>(clusters.size() * POINTS_PER_CLUSTER);
        for (String cluster : clusters) {
            for (int i = 0; i < POINTS_PER_CLUSTER; i++) {
                all.add(new Point(Partitioner.hash((i + ":" + cluster).getBytes(StandardCharsets.UTF_8)), cluster));
            }
        }
        all.sort(ORDER);
        this.points = all.toArray(new Point[0]);
    }

    /** The most partitions one cluster may own when {@code clusters} clusters share the ring. */
    public static int capacity(int clusters) {
        return (int) Math.ceil(Partitioner.PARTITIONS / (double) clusters * LOAD_FACTOR);
    }

    public List<String> clusters() {
        return clusters;
    }

    public int capacity() {
        return capacity(clusters.size());
    }

    /** The owner of every partition by the bounded-load walk, partitions taken in order 0..270. */
    public String[] assign() {
        String[] owners = new String[Partitioner.PARTITIONS];
        java.util.Map<String, Integer> load = new java.util.HashMap<>();
        int cap = capacity();
        for (int p = 0; p < owners.length; p++) {
            String owner = walk(p, c -> load.getOrDefault(c, 0) + 1 <= cap);
            owners[p] = owner;
            load.merge(owner, 1, Integer::sum);
        }
        return owners;
    }

    /** The first cluster clockwise from partition p's position that {@code accepts}; null if none does. */
    public String walk(int partition, Predicate<String> accepts) {
        int start = firstPointAtOrAfter(partitionHash(partition));
        for (int i = 0; i < points.length; i++) {
            Point pt = points[(start + i) % points.length];
            if (accepts.test(pt.cluster)) {
                return pt.cluster;
            }
        }
        return null;
    }

    /**
     * How far clockwise partition p must walk to reach a point of {@code cluster} (in ring points);
     * smaller means the cluster is a nearer choice for p. {@link Integer#MAX_VALUE} if not on the ring.
     */
    public int distance(int partition, String cluster) {
        int start = firstPointAtOrAfter(partitionHash(partition));
        for (int i = 0; i < points.length; i++) {
            if (points[(start + i) % points.length].cluster.equals(cluster)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    static long partitionHash(int partition) {
        byte[] le = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(partition).array();
        return Partitioner.hash(le);
    }

    private int firstPointAtOrAfter(long hash) {
        long key = hash ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((points[mid].hash ^ Long.MIN_VALUE) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }
}
