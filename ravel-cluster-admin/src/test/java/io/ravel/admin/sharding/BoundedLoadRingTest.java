package io.ravel.admin.sharding;

import io.ravel.common.Partitioner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedLoadRingTest {

    static List<String> clusters(Random random, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        }
        return ids;
    }

    @Test
    void capacityIsCeilingOfFairShareTimesLoadFactor() {
        assertEquals(326, BoundedLoadRing.capacity(1));
        assertEquals(163, BoundedLoadRing.capacity(2));
        assertEquals(109, BoundedLoadRing.capacity(3));
        assertEquals(82, BoundedLoadRing.capacity(4));
    }

    @Test
    void everyPartitionHasAnOwnerAndNoClusterExceedsTheBound() {
        Random random = new Random(7);
        for (int n = 1; n <= 30; n++) {
            List<String> ids = clusters(random, n);
            String[] owners = new BoundedLoadRing(ids).assign();
            Map<String, Integer> load = new HashMap<>();
            for (String o : owners) {
                assertNotNull(o);
                assertTrue(ids.contains(o));
                load.merge(o, 1, Integer::sum);
            }
            int cap = BoundedLoadRing.capacity(n);
            load.values().forEach(l -> assertTrue(l <= cap, "load " + l + " over " + cap));
        }
    }

    @Test
    void tableDependsOnTheSetOfClustersNotTheirOrder() {
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            List<String> ids = clusters(random, 2 + random.nextInt(8));
            String[] expected = new BoundedLoadRing(ids).assign();
            for (int shuffle = 0; shuffle < 5; shuffle++) {
                List<String> order = new ArrayList<>(ids);
                Collections.shuffle(order, random);
                assertArrayEquals(expected, new BoundedLoadRing(order).assign());
            }
        }
    }

    @Test
    void walkSkipsClustersThatDoNotAccept() {
        List<String> ids = Arrays.asList("a", "b", "c");
        BoundedLoadRing ring = new BoundedLoadRing(ids);
        for (int p = 0; p < Partitioner.PARTITIONS; p++) {
            assertEquals("c", ring.walk(p, "c"::equals));
            assertEquals(null, ring.walk(p, c -> false));
        }
    }
}
