package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.status.SyncState;
import org.junit.jupiter.api.Test;

/** The order in which a target's facts decide its one state. */
class TargetStatesTest {

    @Test
    void eachFactWinsOverTheOnesAfterIt() {
        assertThat(TargetStates.decide(true, true, true, true, 5, 1, 1)).isEqualTo(SyncState.SOURCE_GUARDED);
        assertThat(TargetStates.decide(false, true, true, true, 5, 1, 1)).isEqualTo(SyncState.AUTH_FAILED);
        assertThat(TargetStates.decide(false, false, true, true, 5, 1, 1)).isEqualTo(SyncState.RETRYING);
        assertThat(TargetStates.decide(false, false, false, true, 5, 1, 1)).isEqualTo(SyncState.SCANNING);
        assertThat(TargetStates.decide(false, false, false, false, 5, 1, 1)).isEqualTo(SyncState.SYNCING);
        assertThat(TargetStates.decide(false, false, false, false, 0, 1, 1)).isEqualTo(SyncState.RETRYING);
        assertThat(TargetStates.decide(false, false, false, false, 0, 0, 1)).isEqualTo(SyncState.PARKED);
        assertThat(TargetStates.decide(false, false, false, false, 0, 0, 0)).isEqualTo(SyncState.IN_SYNC);
    }

    @Test
    void labelsAreTheNamesStatusPrints() {
        assertThat(SyncState.values()).extracting(SyncState::label).containsExactly("scanning", "in sync", "syncing",
                "retrying", "auth-failed", "parked", "source-guarded");
    }
}
