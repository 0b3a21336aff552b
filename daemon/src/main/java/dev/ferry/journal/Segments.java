package dev.ferry.journal;

import dev.ferry.disk.AtomicFile;
import dev.ferry.disk.RecordWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a journal folder: segment names, the temporary name a segment is written under, the lock that keeps
 * a second process out, and the write-fsync-rename-fsync sequence that makes a new segment appear whole or not at
 * all ({@link AtomicFile}, in two halves so that a crash between them can be tested). Stateless; called by {@link Journal#open} and by the flusher thread when it compacts.
 */
final class Segments {
    static final String LOCK_NAME = "journal.lock";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{16})\\.log");
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;

    private Segments() {
    }

    static String name(long segment) {
        return String.format("journal-%016d.log", segment);
    }

    static Path path(Path dir, long segment) {
        return dir.resolve(name(segment));
    }

    static Path tempPath(Path dir, long segment) {
        return AtomicFile.tempBeside(path(dir, segment));
    }

    /** Segment files by number, lowest first. Other files are not ours to judge and are left alone. */
    static TreeMap<Long, Path> list(Path dir) throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    out.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        return out;
    }

    /** Segments written under their temporary name and never renamed: what a crash during compaction leaves. */
    static List<Path> temps(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)
                        && SEGMENT.matcher(name.substring(0, name.length() - TEMP_SUFFIX.length())).matches()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * Writes segment {@code segment} holding {@code state} under its temporary name and forces it. Returns the
     * temporary file; {@link #install} gives it its real name.
     */
    static Path writeTemp(Path dir, long segment, JournalState state) throws IOException {
        Path tmp = tempPath(dir, segment);
        List<JournalRecord> records = new ArrayList<>();
        LiveState.rebuild(state, records::add);
        RecordCodec codec = new RecordCodec();
        AtomicFile.writeTemp(tmp, AtomicFile.Sync.FSYNC, ch -> {
            RecordWriter out = new RecordWriter(ch, WRITE_BUFFER_BYTES);
            out.put(JournalFormat.header(new JournalFormat.Header(segment, state.nextId())));
            for (JournalRecord r : records) {
                out.put(codec.encode(r));
            }
            out.flush();
        });
        return tmp;
    }

    /** Renames a forced temporary segment to its real name and makes the rename durable. */
    static Path install(Path tmp) throws IOException {
        String name = tmp.getFileName().toString();
        Path target = tmp.resolveSibling(name.substring(0, name.length() - TEMP_SUFFIX.length()));
        AtomicFile.install(tmp, target, AtomicFile.Sync.FSYNC);
        return target;
    }

    /**
     * Takes the folder's lock file, so that a second daemon (or a second journal in this one) cannot append to the
     * same segments. The OS drops the lock when the process dies, so a crash never leaves the folder locked.
     */
    static Closeable lock(Path dir) throws IOException {
        Path file = dir.resolve(LOCK_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("journal folder=" + dir + " is in use: " + LOCK_NAME
                    + " is locked by another journal (this process or another one)");
        }
        return ch; // closing the channel releases the lock
    }
}
