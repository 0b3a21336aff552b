package dev.ferry.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Registers one directory with the watch service. The seam through which tests replace the real registration, for
 * instance with one that fails like the inotify watch limit after N directories. Called on the thread that owns the
 * {@link WatchTable}.
 */
@FunctionalInterface
interface Registrar {
    /** Where Linux says how many inotify watches one user may hold. */
    Path MAX_USER_WATCHES = Path.of("/proc/sys/fs/inotify/max_user_watches");

    WatchKey register(Path dir) throws IOException;

    /** The current per-user watch limit, if the platform tells it. */
    default OptionalLong watchLimit() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(MAX_USER_WATCHES).trim()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Plain registration for creations, deletions and modifications of the directory's entries. */
    static Registrar forService(WatchService service) {
        return dir -> dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
    }

    /**
     * Whether a registration failed because the watch limit is reached. The JDK's LinuxWatchService throws a plain
     * {@code IOException("User limit of inotify watches reached")} on ENOSPC. A {@link FileSystemException}'s
     * message holds a file name, which may contain any word, so it never counts.
     */
    static boolean isWatchLimit(IOException e) {
        String message = e.getMessage();
        return !(e instanceof FileSystemException) && message != null
                && (message.contains("inotify watches") || message.toLowerCase(Locale.ROOT).contains("limit"));
    }
}
