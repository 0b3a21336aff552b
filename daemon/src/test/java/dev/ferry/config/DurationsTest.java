package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse(" 10 s ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void refusesANumberWithoutUnitSuggestingSeconds() {
        assertThatThrownBy(() -> Durations.parse("60")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad duration \"60\": missing unit; write e.g. 60s (units: ms, s, m, h, d)");
    }

    @Test
    void refusesUnknownUnits() {
        assertThatThrownBy(() -> Durations.parse("5min"))
                .hasMessage("bad duration \"5min\": unknown unit \"min\"; use ms, s, m, h or d, e.g. 500ms, 30s, 5m, 2h, 7d");
        assertThatThrownBy(() -> Durations.parse("30S"))
                .hasMessage("bad duration \"30S\": unknown unit \"S\"; use ms, s, m, h or d, e.g. 500ms, 30s, 5m, 2h, 7d");
    }

    @Test
    void refusesFractionsNegativesCompoundsAndEmptyText() {
        String form = "\": expected a whole number and a unit (ms, s, m, h or d), e.g. 500ms, 30s, 5m, 2h, 7d";
        assertThatThrownBy(() -> Durations.parse("1.5s")).hasMessage("bad duration \"1.5s" + form);
        assertThatThrownBy(() -> Durations.parse("-1s")).hasMessage("bad duration \"-1s" + form);
        assertThatThrownBy(() -> Durations.parse("1h30m")).hasMessage("bad duration \"1h30m" + form);
        assertThatThrownBy(() -> Durations.parse("")).hasMessage("bad duration \"" + form);
    }

    @Test
    void refusesDurationsThatOverflow() {
        assertThatThrownBy(() -> Durations.parse("999999999999999999d"))
                .hasMessage("bad duration \"999999999999999999d\": too large");
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("1m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    }
}
