package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.push.SourceEntry;
import dev.ferry.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live line of {@code ferry push}: its exact text, its throttle, its rate window and ETA, on a clock the test moves. */
class ProgressLineTest {
    private static final int MIB = 1024 * 1024;
    private final ManualClock clock = new ManualClock();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return printed().lines().toList();
    }

    private static SourceEntry file(String path, long size) {
        return new SourceEntry(Path.of("/src", path), path, false, size, 1_700_000_000L, 0, 0644);
    }

    @Test
    void formatsFilesBytesPercentRateAndEta() {
        assertThat(ProgressLine.format(3, 10, 3 * MIB / 2, 8 * MIB, 5 * MIB / 2))
                .isEqualTo("ferry: 3/10 files, 1.5/8.0 MiB (18%), 2.5 MiB/s, ETA 0:03");
        assertThat(ProgressLine.format(0, 2, 0, 1000, -1)).isEqualTo("ferry: 0/2 files, 0/1000 B (0%), --/s, ETA --:--");
        assertThat(ProgressLine.format(7, 7, 0, 0, 0)).isEqualTo("ferry: 7/7 files, 0/0 B (100%), 0 B/s, ETA --:--");
        assertThat(ProgressLine.format(1, 3, 5L << 30, 12L << 30, 100 * MIB))
                .isEqualTo("ferry: 1/3 files, 5.0/12.0 GiB (41%), 100.0 MiB/s, ETA 1:12");
    }

    @Test
    void formatsDurationsAndSizes() {
        assertThat(ProgressLine.duration(0)).isEqualTo("0:00");
        assertThat(ProgressLine.duration(59)).isEqualTo("0:59");
        assertThat(ProgressLine.duration(3725)).isEqualTo("1:02:05");
        assertThat(ProgressLine.duration(100 * 3600)).isEqualTo("--:--");
        assertThat(ProgressLine.size(1023)).isEqualTo("1023 B");
        assertThat(ProgressLine.size(1024)).isEqualTo("1.0 KiB");
        assertThat(ProgressLine.size(2 * MIB + MIB / 10)).isEqualTo("2.1 MiB");
        assertThat(ProgressLine.sizes(512 * 1024, 3 * MIB)).isEqualTo("0.5/3.0 MiB");
    }

    @Test
    void showsTheFirstEventAtOnceThenAtMostFiveTimesASecond() {
        SourceEntry f = file("big.bin", 200 * MIB);
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.LINES, false, clock, 1, f.size());
        p.started(f, MIB, 200, new byte[0]);
        for (int i = 0; i < 100; i++) { // one ACK every 10 ms for a second
            clock.advance(Duration.ofMillis(10));
            p.acked(f, i);
        }
        // at 0 ms (the start), 200, 400, 600, 800 and 1000 ms
        assertThat(lines()).containsExactly(
                "ferry: 0/1 files, 0.0/200.0 MiB (0%), --/s, ETA --:--",
                "ferry: 0/1 files, 20.0/200.0 MiB (10%), --/s, ETA --:--",
                "ferry: 0/1 files, 40.0/200.0 MiB (20%), --/s, ETA --:--",
                "ferry: 0/1 files, 60.0/200.0 MiB (30%), 100.0 MiB/s, ETA 0:02",
                "ferry: 0/1 files, 80.0/200.0 MiB (40%), 100.0 MiB/s, ETA 0:02",
                "ferry: 0/1 files, 100.0/200.0 MiB (50%), 100.0 MiB/s, ETA 0:01");
    }

    @Test
    void rateIsOverTheLastFiveSecondsSoTheEtaFollowsASpeedChange() {
        long total = 20 * 256 * 1024 + 20 * MIB + 8 * MIB;
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.LINES, false, clock, 41, total);
        for (int i = 0; i < 20; i++) { // 1 MiB/s for 5 s: files the receiver already held, done at their commit
            clock.advance(Duration.ofMillis(250));
            p.committed(file("slow" + i, 256 * 1024), true);
        }
        assertThat(lines().getLast()).isEqualTo("ferry: 20/41 files, 5.0/33.0 MiB (15%), 1.0 MiB/s, ETA 0:28");
        for (int i = 0; i < 20; i++) { // then 4 MiB/s for 5 s
            clock.advance(Duration.ofMillis(250));
            p.committed(file("fast" + i, MIB), true);
        }
        assertThat(lines().getLast()).isEqualTo("ferry: 40/41 files, 25.0/33.0 MiB (75%), 4.0 MiB/s, ETA 0:02");
        assertThat(lines()).hasSize(40);
    }

    @Test
    void bytesCountOnceWhetherAckedOrCommittedAndAFailedFileCountsAsDone() {
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.LINES, false, clock, 3, 5 * MIB + 100);
        SourceEntry a = file("a", 3 * MIB + 100);
        SourceEntry b = file("b", MIB);
        SourceEntry c = file("c", MIB);
        p.started(a, MIB, 4, new byte[0]);
        clock.advance(Duration.ofSeconds(1));
        p.acked(a, 0);
        clock.advance(Duration.ofSeconds(1));
        p.acked(a, 3); // the last chunk: 100 bytes
        clock.advance(Duration.ofSeconds(1));
        p.committed(a, false); // chunks 1 and 2 the receiver kept from an earlier push
        clock.advance(Duration.ofSeconds(1));
        p.failed(b, "refused");
        clock.advance(Duration.ofSeconds(1));
        p.started(c, MIB, 1, new byte[0]);
        p.finish();
        assertThat(lines()).containsExactly(
                "ferry: 0/3 files, 0.0/5.0 MiB (0%), --/s, ETA --:--",
                "ferry: 0/3 files, 1.0/5.0 MiB (19%), 1.0 MiB/s, ETA 0:05",
                // 1 MiB + 100 B in 2 s: 524,338 B/s; 4 MiB left: 7.9993 s, shown rounded up
                "ferry: 0/3 files, 1.0/5.0 MiB (20%), 512.0 KiB/s, ETA 0:08",
                "ferry: 1/3 files, 3.0/5.0 MiB (60%), 1.0 MiB/s, ETA 0:02",
                "ferry: 2/3 files, 4.0/5.0 MiB (80%), 1.0 MiB/s, ETA 0:01",
                // (c started: nothing of it done yet; 4 MiB + 100 B in 5 s; finish() adds no line, nothing moved since)
                "ferry: 2/3 files, 4.0/5.0 MiB (80%), 819.2 KiB/s, ETA 0:02");
    }

    @Test
    void oneUpdateALineEndsWithTheEndStateWhenTheLastUpdateWasThrottled() {
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.LINES, false, clock, 2, 2 * MIB);
        SourceEntry a = file("a", MIB);
        SourceEntry b = file("b", MIB);
        p.committed(a, true);
        clock.advance(Duration.ofMillis(100));
        p.committed(b, true); // within 200 ms of the first: not shown
        clock.advance(Duration.ofMillis(900));
        p.finish();
        assertThat(lines()).containsExactly("ferry: 1/2 files, 1.0/2.0 MiB (50%), --/s, ETA --:--",
                // the rate counts from the first update (1 MiB done then): 1 MiB more in 1 s
                "ferry: 2/2 files, 2.0/2.0 MiB (100%), 1.0 MiB/s, ETA 0:00");
    }

    @Test
    void onATerminalRewritesOneLineInPlaceAndClearsItForVerboseLinesAndAtTheEnd() {
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.REWRITE, true, clock, 2, 1010);
        SourceEntry a = file("a.txt", 1000);
        SourceEntry b = file("b.txt", 10);
        p.started(a, MIB, 1, new byte[0]);
        clock.advance(Duration.ofSeconds(1));
        p.committed(a, false);
        clock.advance(Duration.ofSeconds(1));
        p.committed(b, true);
        p.finish();
        String first = "ferry: 0/2 files, 0/1010 B (0%), --/s, ETA --:--";
        String second = "ferry: 1/2 files, 1000/1010 B (99%), 1000 B/s, ETA 0:01";
        String third = "ferry: 2/2 files, 1010/1010 B (100%), 505 B/s, ETA 0:00";
        assertThat(printed()).isEqualTo("\r" + first
                + "\r" + " ".repeat(first.length()) + "\r" + "sent a.txt (1000 B)\n"
                + "\r" + second
                + "\r" + " ".repeat(second.length()) + "\r" + "unchanged b.txt\n"
                + "\r" + third
                + "\r" + " ".repeat(third.length()) + "\r");
    }

    @Test
    void aShorterLineOverwritesTheRestOfTheLongerOne() {
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.REWRITE, false, clock, 1, 2048);
        SourceEntry a = file("a", 2048);
        p.started(a, 1024, 2, new byte[0]);
        clock.advance(Duration.ofSeconds(1));
        p.acked(a, 0);
        String first = "ferry: 0/1 files, 0.0/2.0 KiB (0%), --/s, ETA --:--";
        String second = "ferry: 0/1 files, 1.0/2.0 KiB (50%), 1.0 KiB/s, ETA 0:01";
        assertThat(second.length()).isGreaterThan(first.length());
        clock.advance(Duration.ofSeconds(1));
        bytes.reset();
        p.acked(a, 1);
        String third = "ferry: 0/1 files, 2.0/2.0 KiB (100%), 1.0 KiB/s, ETA 0:00";
        assertThat(printed()).isEqualTo("\r" + third + " ".repeat(Math.max(0, second.length() - third.length())));
    }

    @Test
    void verboseWithoutTheLiveLinePrintsOnlyAFileLineEach() {
        ProgressLine p = new ProgressLine(out, ProgressLine.Mode.OFF, true, clock, 3, 30);
        p.committed(file("a", 10), false);
        p.committed(file("b", 10), true);
        p.failed(file("c", 10), "source changed while it was pushed");
        p.finish();
        assertThat(printed()).isEqualTo("sent a (10 B)\nunchanged b\nfailed c: source changed while it was pushed\n");
        assertThat(new ProgressLine(out, ProgressLine.Mode.OFF, false, clock, 0, 0).shows()).isFalse();
    }

    @Test
    void recognizesTerminalDevicesByTheLinkOfTheDescriptor() {
        assertThat(Terminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/ttyS0")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/console")).isTrue();
        assertThat(Terminal.isTerminalDevice("pipe:[438469]")).isFalse();
        assertThat(Terminal.isTerminalDevice("/dev/null")).isFalse();
        assertThat(Terminal.isTerminalDevice("/tmp/push.log")).isFalse();
        assertThat(Terminal.isTerminalDevice("socket:[1234]")).isFalse();
    }
}
