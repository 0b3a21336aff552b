package dev.ferry.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete lines written so far to a log file that another process appends to; reads only what is new on
 * each call. Thread-safe (a test thread and an Awaitility poller may both ask); callers get copies.
 */
final class LogTail {
    private static final int MAX_READ = 16 * 1024 * 1024;

    private final Path file;
    private final List<String> lines = new ArrayList<>();
    private long offset;
    private String unfinished = "";

    LogTail(Path file) {
        this.file = file;
    }

    /** The complete lines so far from the {@code from}-th (0 = the first), oldest first. */
    synchronized List<String> linesFrom(int from) {
        readNew();
        return from >= lines.size() ? List.of() : List.copyOf(lines.subList(from, lines.size()));
    }

    /** The last {@code n} lines, and the unfinished one if any, for failure messages. */
    synchronized String tail(int n) {
        readNew();
        StringBuilder b = new StringBuilder();
        for (String line : lines.subList(Math.max(0, lines.size() - n), lines.size())) {
            b.append("  | ").append(line).append('\n');
        }
        if (!unfinished.isEmpty()) {
            b.append("  | ").append(unfinished).append('\n');
        }
        return b.toString();
    }

    /** Takes in every complete line after {@code offset}; '\n' never occurs inside a UTF-8 character. */
    private void readNew() {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return;
            }
            byte[] b = new byte[(int) Math.min(length - offset, MAX_READ)];
            f.seek(offset);
            f.readFully(b);
            int lastNewline = b.length - 1;
            while (lastNewline >= 0 && b[lastNewline] != '\n') {
                lastNewline--;
            }
            String[] complete = new String(b, 0, lastNewline + 1, StandardCharsets.UTF_8).split("\n", -1);
            lines.addAll(List.of(complete).subList(0, complete.length - 1)); // the last is what follows the last \n
            offset += lastNewline + 1;
            unfinished = new String(b, lastNewline + 1, b.length - lastNewline - 1, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
