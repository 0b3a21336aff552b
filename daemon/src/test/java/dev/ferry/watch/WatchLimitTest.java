package dev.ferry.watch;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import com.google.common.jimfs.WatchServiceConfiguration;
import dev.ferry.path.RelativePath;
import dev.ferry.watch.Change.Rescan;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The inotify watch limit, played by a registrar that fails like Linux after N registrations. */
class WatchLimitTest {
    private static final String LIMIT_MESSAGE = "User limit of inotify watches reached"; // LinuxWatchService's text

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setWatchServiceConfiguration(WatchServiceConfiguration.polling(10, MILLISECONDS)).build());
    private final Path root = fs.getPath("/src");
    private final Changes changes = new Changes();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger packageLogger = (Logger) LoggerFactory.getLogger("dev.ferry.watch");
    private WatchService service;
    private LimitedRegistrar registrar;
    private TreeWatcher watcher;

    /** Registers through the real (jimfs) service until its allowance runs out, then fails as Linux does. */
    private static final class LimitedRegistrar implements Registrar {
        private final Registrar real;
        private final Path root;
        private final AtomicInteger allowance;
        private final List<String> registered = new CopyOnWriteArrayList<>();

        LimitedRegistrar(Registrar real, Path root, int allowance) {
            this.real = real;
            this.root = root;
            this.allowance = new AtomicInteger(allowance);
        }

        @Override
        public WatchKey register(Path dir) throws IOException {
            if (allowance.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                throw new IOException(LIMIT_MESSAGE);
            }
            registered.add(RelativePath.between(root, dir).text());
            return real.register(dir);
        }

        @Override
        public OptionalLong watchLimit() {
            return OptionalLong.of(8192);
        }

        void raise(int more) {
            allowance.set(more);
        }
    }

    @BeforeEach
    void buildTreeAndCaptureLogs() throws IOException {
        for (int i = 0; i < 10; i++) {
            Files.createDirectories(root.resolve("d" + i + "/s"));
        }
        logs.start();
        packageLogger.addAppender(logs);
    }

    @AfterEach
    void closeAll() throws IOException {
        packageLogger.detachAppender(logs);
        if (watcher != null) {
            watcher.close();
        }
        if (service != null) {
            service.close();
        }
        fs.close();
    }

    private void start(int allowance) throws IOException {
        service = fs.newWatchService();
        registrar = new LimitedRegistrar(Registrar.forService(service), root, allowance);
        watcher = TreeWatcher.start(root, service, p -> false, changes, new WatcherOptions(Duration.ofMillis(50)),
                registrar);
    }

    private List<String> messages(Level level) {
        synchronized (logs) {
            return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Test
    void limitIsLoggedOnceWithTheSysctlToRaise() throws Exception {
        start(5); // the tree has 21 directories: the root, d0..d9, and one s in each

        // others hold 8192 - 5 watches; the tree twice over is 42; 8229 rounded up to a multiple of 1024
        assertThat(messages(Level.WARN)).containsExactly("inotify watch limit reached after 5 directories: raise "
                + "fs.inotify.max_user_watches (now 8192, read from /proc/sys/fs/inotify/max_user_watches) to at "
                + "least 9216, e.g. sysctl fs.inotify.max_user_watches=9216; meanwhile polling 16 directories every "
                + "50ms");
        assertThat(watcher.watchedDirectories()).isEqualTo(5);

        Files.createDirectories(root.resolve("d0/s/late")); // fails too, but is not worth a second warning

        changes.awaitCovered("d0/s/late");
        assertThat(messages(Level.WARN)).hasSize(1);
    }

    @Test
    void unwatchedDirectoriesAreTheRestAndArePolled() throws Exception {
        start(5);
        Set<String> all = new TreeSet<>(List.of(""));
        for (int i = 0; i < 10; i++) {
            all.addAll(List.of("d" + i, "d" + i + "/s"));
        }
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(registrar.registered);

        assertThat(watcher.unwatchedDirectories()).containsExactlyInAnyOrderElementsOf(rest).hasSize(16);

        String dir = rest.stream().filter(d -> d.endsWith("/s")).findFirst().orElseThrow();
        changes.clear();
        Files.writeString(root.resolve(dir).resolve("new-file"), "x");
        await().atMost(Changes.DEADLINE).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(changes.all()).anyMatch(c -> c instanceof Rescan r && r.reason().equals("poll")
                        && r.covers(RelativePath.of(dir + "/new-file"))));
    }

    @Test
    void watchesAreTakenUpAgainOnceTheLimitIsRaised() throws Exception {
        start(5);

        registrar.raise(1000);

        await().atMost(Changes.DEADLINE).until(() -> watcher.unwatchedDirectories().isEmpty());
        assertThat(watcher.watchedDirectories()).isEqualTo(21);
        assertThat(messages(Level.INFO)).contains("all directories are watched again directories=21");
        changes.clear();
        Files.writeString(root.resolve("d9/s/f"), "x");
        changes.awaitContains(new Change.PathChanged(RelativePath.of("d9/s/f")));
    }

    @Test
    void vanishedUnwatchedDirectoryIsReportedAndNoLongerPolled() throws Exception {
        start(1); // only the root is watched
        assertThat(watcher.unwatchedDirectories()).hasSize(20);

        Files.delete(root.resolve("d3/s"));
        Files.delete(root.resolve("d3"));

        await().atMost(Changes.DEADLINE).until(() -> watcher.unwatchedDirectories().size() == 18);
        changes.awaitContains(new Change.PathChanged(RelativePath.of("d3")));
    }

    @Test
    void watchLimitIsRecognisedFromLinuxMessageOnly() {
        assertThat(Registrar.isWatchLimit(new IOException(LIMIT_MESSAGE))).isTrue();
        assertThat(Registrar.isWatchLimit(new NoSuchFileException("/src/speed-limit"))).isFalse();
        assertThat(Registrar.isWatchLimit(new IOException("Permission denied"))).isFalse();
    }

    @Test
    void suggestedLimitKeepsWhatOthersHoldAndDoublesTheTree() {
        assertThat(TreeRegistration.suggestedLimit(OptionalLong.of(8192), 5, 21)).isEqualTo(9216);
        assertThat(TreeRegistration.suggestedLimit(OptionalLong.of(192_536), 192_000, 300_000)).isEqualTo(601_088);
        assertThat(TreeRegistration.suggestedLimit(OptionalLong.empty(), 100, 1000)).isEqualTo(2048);
    }
}
