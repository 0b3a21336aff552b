package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0          | 0
            1048576    | 1048576
            512B       | 512
            64KiB      | 65536
            1MiB       | 1048576
            '4 MiB'    | 4194304
            1GiB       | 1073741824
            1TiB       | 1099511627776
            1mib       | 1048576
            500KB      | 500000
            10MB       | 10000000
            1GB        | 1000000000
            2TB        | 2000000000000
            ' 8MiB '   | 8388608
            """)
    void parsesNumbersWithBinaryAndDecimalUnits(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @Test
    void refusesSingleLetterUnitsAsAmbiguous() {
        assertThatThrownBy(() -> ByteSizes.parse("4M")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad size \"4M\": unit \"M\" is ambiguous; write MiB (powers of 1024) or MB (powers of 1000)");
        assertThatThrownBy(() -> ByteSizes.parse("64k"))
                .hasMessage("bad size \"64k\": unit \"k\" is ambiguous; write KiB (powers of 1024) or KB (powers of 1000)");
    }

    @Test
    void refusesUnknownUnitsListingTheKnownOnes() {
        assertThatThrownBy(() -> ByteSizes.parse("3 bananas"))
                .hasMessage("bad size \"3 bananas\": unknown unit \"bananas\"; use B, KiB, MiB, GiB, TiB (powers of 1024)"
                        + " or KB, MB, GB, TB (powers of 1000)");
    }

    @Test
    void refusesFractionsNegativesAndEmptyText() {
        String form = "\": expected a whole number of bytes with an optional unit, e.g. 1048576, 64KiB, 4 MiB, 1GiB";
        assertThatThrownBy(() -> ByteSizes.parse("1.5MiB")).hasMessage("bad size \"1.5MiB" + form);
        assertThatThrownBy(() -> ByteSizes.parse("-1")).hasMessage("bad size \"-1" + form);
        assertThatThrownBy(() -> ByteSizes.parse("")).hasMessage("bad size \"" + form);
        assertThatThrownBy(() -> ByteSizes.parse("MiB")).hasMessage("bad size \"MiB" + form);
    }

    @Test
    void refusesSizesThatOverflowALong() {
        assertThatThrownBy(() -> ByteSizes.parse("8388608TiB"))
                .hasMessage("bad size \"8388608TiB\": too large (the limit is 8 EiB)");
        assertThatThrownBy(() -> ByteSizes.parse("99999999999999999999"))
                .hasMessage("bad size \"99999999999999999999\": too large (the limit is 8 EiB)");
    }

    @Test
    void formatsWithTheLargestExactBinaryUnit() {
        assertThat(ByteSizes.format(1L << 40)).isEqualTo("1TiB");
        assertThat(ByteSizes.format(1536 * 1024)).isEqualTo("1536KiB");
        assertThat(ByteSizes.format(1000)).isEqualTo("1000");
        assertThat(ByteSizes.format(0)).isEqualTo("0");
    }
}
