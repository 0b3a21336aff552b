package dev.ferry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JournalOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(JournalOptions.DEFAULTS).isEqualTo(new JournalOptions(Duration.ofMillis(5), 256, 64L << 20, true,
                Duration.ofSeconds(30)));
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndTheValue() {
        JournalOptions d = JournalOptions.DEFAULTS;
        assertThatThrownBy(() -> d.withCommitInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("commitInterval=-1ms must not be negative");
        assertThatThrownBy(() -> d.withCommitEveryRecords(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commitEveryRecords=0 must be >= 1");
        assertThatThrownBy(() -> d.withCompactAtBytes(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compactAtBytes=100 must be >= 1024");
        assertThatThrownBy(() -> d.withSyncTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncTimeout=0ms must be > 0");
        assertThat(d.withCommitInterval(Duration.ZERO).commitInterval()).isZero();
    }
}
