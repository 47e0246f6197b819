package io.ravel.admin.routing;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void idsAreSixteenBytesAndNeverRepeat() {
        Set<ByteString> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ByteString id = RequestIds.next();
            assertEquals(16, id.size());
            assertTrue(seen.add(id), "an id came twice");
        }
    }
}
