package dev.ferry.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The index's inode lookup answers as the {@code HashMap<Long, String>} it replaces. */
class InodePathsTest {
    @Test
    void putGetReplaceAndConditionalRemove() {
        InodePaths m = new InodePaths();
        m.put(42, "a");
        m.put(42, "b"); // a hard link put later wins
        assertThat(m.get(42)).isEqualTo("b");
        m.remove(42, "a"); // the other link's removal keeps it
        assertThat(m.get(42)).isEqualTo("b");
        m.remove(42, "b");
        assertThat(m.get(42)).isNull();
        assertThat(m.size()).isZero();
        assertThat(m.get(0)).isNull();
        assertThatThrownBy(() -> m.put(0, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inode 0 is not stored (path x)");
    }

    @Test
    void agreesWithAHashMapThroughGrowthCollisionsAndRemovals() {
        InodePaths m = new InodePaths();
        Map<Long, String> reference = new HashMap<>();
        Random random = new Random(15);
        for (int step = 0; step < 200_000; step++) {
            long inode = 1 + random.nextInt(5_000) * 1024L; // clustered keys: long probe runs
            String path = "p" + random.nextInt(3);
            switch (random.nextInt(3)) {
                case 0, 1 -> {
                    m.put(inode, path);
                    reference.put(inode, path);
                }
                default -> {
                    m.remove(inode, path);
                    reference.remove(inode, path);
                }
            }
            if (step % 1000 == 0) {
                for (long k = 1; k < 5_000 * 1024L; k += 1024) {
                    assertThat(m.get(k)).as("inode %d at step %d", k, step).isEqualTo(reference.get(k));
                }
            }
        }
        assertThat(m.size()).isEqualTo(reference.size());
    }
}
