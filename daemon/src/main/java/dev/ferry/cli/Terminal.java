package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the standard output is a terminal, for the live line of {@code ferry push}. On Linux it reads where
 * {@code /proc/self/fd/1} points (a pseudo-terminal {@code /dev/pts/N}, a console {@code /dev/ttyN} or
 * {@code /dev/console}): it asks about the standard output alone, which is where the line goes, and costs ~1 ms at
 * start-up where {@link System#console()} costs ~10 ms (measured on JDK 25, cold) and answers null as soon as the
 * standard input is redirected too. Elsewhere (no {@code /proc}) it falls back to {@code System.console() != null}.
 * Any thread.
 */
final class Terminal {
    private Terminal() {
    }

    static boolean stdoutIsTerminal() {
        Path fd = Path.of("/proc/self/fd/1");
        try {
            return isTerminalDevice(Files.readSymbolicLink(fd).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /** The path a file descriptor's link in {@code /proc} names is a terminal device. */
    static boolean isTerminalDevice(String target) {
        return target.matches("/dev/pts/\\d+") || target.matches("/dev/tty[A-Za-z]*\\d*") || target.equals("/dev/console");
    }
}
