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
 * each {@link #lines()} call. Used by one thread at a time (the test's).
 */
final class LogTail {
    private final Path file;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private long offset;

    LogTail(Path file) {
        this.file = file;
    }

    /** Every complete line so far, oldest first (the list grows; do not keep it across calls). */
    synchronized List<String> lines() {
        if (!Files.exists(file)) {
            return lines;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return lines;
            }
            byte[] b = new byte[(int) Math.min(length - offset, 16 * 1024 * 1024)];
            f.seek(offset);
            f.readFully(b);
            offset += b.length;
            // a multi-byte character cut at the end of a read is left for the next read
            int end = b.length;
            while (end > 0 && (b[end - 1] & 0xC0) == 0x80) {
                end--;
            }
            if (end > 0 && (b[end - 1] & 0x80) != 0) {
                end--;
            }
            offset -= b.length - end;
            partial.append(new String(b, 0, end, StandardCharsets.UTF_8));
            int start = 0;
            int nl;
            while ((nl = partial.indexOf("\n", start)) >= 0) {
                lines.add(partial.substring(start, nl));
                start = nl + 1;
            }
            partial.delete(0, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The last {@code n} lines, and the unfinished one if any, for failure messages. */
    synchronized String tail(int n) {
        List<String> all = lines();
        StringBuilder b = new StringBuilder();
        for (String line : all.subList(Math.max(0, all.size() - n), all.size())) {
            b.append("  | ").append(line).append('\n');
        }
        if (!partial.isEmpty()) {
            b.append("  | ").append(partial).append('\n');
        }
        return b.toString();
    }
}
