package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.ferry.plan.SourceGuard.Look;
import dev.ferry.plan.SourceGuard.State;
import dev.ferry.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's decisions, fed looks at the root by hand: what it allows, what it logs and when. */
public class SourceGuardTest {
    static final Long SDA1 = 2049L; // 8:1
    static final Long SDB1 = 2065L; // 8:17
    static final Long ROOT_FS = 2050L; // 8:2, what an unmounted mount point is on
    static final Path ROOT = Path.of("/mnt/photos");
    static final Path STATE = Path.of("/var/lib/ferry/pair-0123456789abcdef");

    final CapturedLog log = new CapturedLog(SourceGuard.class);
    final SourceGuard guard = new SourceGuard("photos", ROOT, name -> name.equals(".ferry"), STATE);

    @AfterEach
    void detach() {
        log.close();
    }

    static String empty(long synced) {
        return emptyMessage("photos", ROOT, synced, STATE);
    }

    static String otherDevice(String now, String was) {
        return otherDeviceMessage("photos", ROOT, now, was);
    }

    static String resumed(String device) {
        return resumedMessage("photos", ROOT, device);
    }

    public static String emptyMessage(String pair, Path root, long synced, Path state) {
        return "pair=" + pair + " source " + root + " is empty but " + synced + " entries were synced from it: deleting "
                + "nothing on the targets and sending nothing until it holds entries again (unmounted?). To empty the "
                + "targets on purpose, stop ferry, empty them by hand and remove " + state;
    }

    public static String otherDeviceMessage(String pair, Path root, String now, String was) {
        return "pair=" + pair + " source " + root + " is now on another filesystem (device " + now + ", was " + was + "): "
                + "deleting nothing on the targets and sending nothing until the first one is back (unmounted?). To sync "
                + "what is there now instead, restart ferry";
    }

    public static String resumedMessage(String pair, Path root, String device) {
        return "pair=" + pair + " source " + root + " holds entries again on its filesystem (device " + device
                + "): syncing resumes";
    }

    @Test
    void anEmptyRootWithNothingSyncedIsJustAnEmptySource() {
        assertThat(guard.decide(new Look(false, ROOT_FS), 0)).isTrue();
        assertThat(guard.decide(new Look(true, SDA1), 0)).isTrue(); // whatever is mounted first is the source
        assertThat(guard.decide(new Look(false, SDA1), 0)).isTrue();

        assertThat(guard.refusals()).isZero();
        assertThat(log.at(Level.ERROR)).isEmpty();
    }

    @Test
    void anEmptiedRootPausesWithOneErrorAcrossRescansAndResumesWhenEntriesReturn() {
        assertThat(guard.decide(new Look(true, SDA1), 1234)).isTrue();

        assertThat(guard.decide(new Look(false, SDA1), 1234)).isFalse();
        assertThat(guard.decide(new Look(false, SDA1), 1234)).isFalse();
        assertThat(guard.decide(new Look(false, SDA1), 1234)).isFalse();
        assertThat(guard.paused()).isTrue();
        assertThat(guard.decide(new Look(true, SDA1), 1234)).isTrue();

        assertThat(guard.refusals()).isEqualTo(3);
        assertThat(guard.paused()).isFalse();
        assertThat(log.at(Level.ERROR)).containsExactly(empty(1234));
        assertThat(log.at(Level.INFO)).containsExactly(resumed("8:1"));
    }

    @Test
    void oncePausedOnlyEntriesComingBackEndThePause() {
        assertThat(guard.decide(new Look(false, SDA1), 7)).as("a target lists 7 entries").isFalse();
        assertThat(guard.decide(new Look(false, SDA1), 0)).as("the index holds none").isFalse();

        assertThat(guard.state()).isEqualTo(State.EMPTY);
        assertThat(log.at(Level.ERROR)).containsExactly(empty(7));
        assertThat(log.at(Level.INFO)).isEmpty();
    }

    @Test
    void anotherFilesystemAtTheRootPausesUntilTheFirstOneIsBack() {
        assertThat(guard.decide(new Look(true, SDA1), 10)).isTrue();
        assertThat(guard.decide(new Look(true, SDB1), 10)).isFalse();
        assertThat(guard.decide(new Look(true, SDB1), 10)).isFalse();
        assertThat(guard.state()).isEqualTo(State.OTHER_DEVICE);
        assertThat(guard.decide(new Look(true, SDA1), 10)).isTrue();

        assertThat(guard.refusals()).isEqualTo(2);
        assertThat(log.at(Level.ERROR)).containsExactly(otherDevice("8:17", "8:1"));
        assertThat(log.at(Level.INFO)).containsExactly(resumed("8:1"));
    }

    @Test
    void anUnmountThenAnotherFilesystemLogOneErrorEach() {
        assertThat(guard.decide(new Look(true, SDA1), 10)).isTrue();
        assertThat(guard.decide(new Look(false, ROOT_FS), 10)).isFalse();
        assertThat(guard.decide(new Look(true, SDB1), 10)).isFalse();
        assertThat(guard.decide(new Look(false, ROOT_FS), 10)).isFalse();
        assertThat(guard.decide(new Look(true, SDA1), 10)).isTrue();

        assertThat(log.at(Level.ERROR)).containsExactly(empty(10), otherDevice("8:17", "8:1"), empty(10));
        assertThat(log.at(Level.INFO)).containsExactly(resumed("8:1"));
    }

    @Test
    void aPairStartedBeforeItsSourceWasMountedTakesTheFilesystemMountedLater() {
        assertThat(guard.decide(new Look(false, ROOT_FS), 500)).isFalse();
        assertThat(guard.decide(new Look(true, SDA1), 500)).isTrue();
        assertThat(guard.decide(new Look(true, SDB1), 500)).isFalse();

        assertThat(log.at(Level.ERROR)).containsExactly(empty(500), otherDevice("8:17", "8:1"));
    }

    @Test
    void lookCountsOnlyNamesThatAreNotIgnoredAndReadsTheDevice(@TempDir Path tmp) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(root.resolve(".ferry/trash"));
        Object device = Files.getAttribute(root, "unix:dev");

        assertThat(SourceGuard.look(root, name -> name.equals(".ferry"))).isEqualTo(new Look(false, device));
        Files.writeString(root.resolve("a.txt"), "a");
        assertThat(SourceGuard.look(root, name -> name.equals(".ferry"))).isEqualTo(new Look(true, device));
        assertThat(SourceGuard.look(root, name -> true)).isEqualTo(new Look(false, device));
    }

    @Test
    void devicesAreNamedMajorColonMinorAsLinuxEncodesThem() {
        assertThat(List.of(SDA1, SDB1, 66305L, 0x0000_1234_5000_0000L | (0x123L << 8) | 0x45L))
                .extracting(SourceGuard::deviceName).containsExactly("8:1", "8:17", "259:1", "4387:591724613");
        assertThat(SourceGuard.deviceName(null)).isEqualTo("null");
    }
}
