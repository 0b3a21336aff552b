package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1.0 KiB",
        "1536, 1.5 KiB",
        "50541363, 48.2 MiB",
        "1048575, 1.0 MiB",
        "3221225472, 3.0 GiB",
    })
    void bytesInBinaryUnitsWithOneDecimal(long n, String expected) {
        assertThat(Human.bytes(n)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0ms",
        "340, 340ms",
        "1000, 1s",
        "2400, 2.4s",
        "9960, 10s",
        "30000, 30s",
        "59499, 59s",
        "120000, 2m",
        "150000, 2m30s",
        "600000, 10m",
        "3900000, 1h5m",
        "604800000, 7d",
        "183600000, 2d3h",
    })
    void durationsInAtMostTwoUnits(long millis, String expected) {
        assertThat(Human.duration(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
