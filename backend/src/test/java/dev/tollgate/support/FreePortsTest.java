// Why: two listeners given the same "free" port made a multi-replica CI run fail at start-up; this pins the fix.
package dev.tollgate.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void neverHandsOutTheSamePortTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(seen.add(FreePorts.next())).isTrue();
        }
    }
}
