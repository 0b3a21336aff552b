package dev.ferry.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether our stderr is connected to the systemd journal. systemd puts {@code JOURNAL_STREAM=DEVICE:INODE} in a
 * service's environment, naming the stream it connected stdout/stderr to; a child started with stderr redirected
 * elsewhere inherits the variable, so the device and inode of fd 2 must match it too.
 */
final class JournalStream {
    private JournalStream() {
    }

    /** The current process: {@code $JOURNAL_STREAM} against {@code /proc/self/fd/2}. */
    static boolean stderrIsJournal() {
        return matches(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"));
    }

    /** {@code journalStream} ("DEVICE:INODE", decimal) names the file {@code fd} opens; false for anything else. */
    static boolean matches(String journalStream, Path fd) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long device = Long.parseLong(journalStream.substring(0, colon));
            long inode = Long.parseLong(journalStream.substring(colon + 1));
            Map<String, Object> a = Files.readAttributes(fd, "unix:dev,ino");
            return (Long) a.get("dev") == device && (Long) a.get("ino") == inode;
        } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
