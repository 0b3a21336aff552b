package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.receive.ReceiverStats;
import org.junit.jupiter.api.Test;

class DemoCountersTest {
    @Test
    void receiverCountersAreASentenceNotARecordToString() {
        ReceiverStats.Snapshot s = new ReceiverStats.Snapshot(5, 0, 0, 0, 40, 9L << 20, 30, 2, 0, 0, 12, 3, 1, 0, 0, 0);
        assertThat(DemoCommand.counters(s)).isEqualTo("5 connections, 12 files committed (3 unchanged, 1 failed), 40 chunks"
                + " received (9.0 MiB), 30 reused, 2 resumed from partial files");
    }
}
