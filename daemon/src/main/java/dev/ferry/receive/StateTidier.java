package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.logging.Human;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a folder's {@code .ferry/} from growing without end: at most hourly per folder, on a new session, removes
 * trash day folders past the retention, partial files of interrupted transfers nobody resumed within
 * {@code partialMaxAge}, and the {@link HeldHashes} of files no longer there as they were. Shared by the sessions of one receiver; runs on the thread of a session that just
 * authenticated.
 */
final class StateTidier {
    private static final Logger log = LoggerFactory.getLogger(StateTidier.class);
    private static final long EVERY_NS = Duration.ofHours(1).toNanos();

    private final ReceiverSettings settings;
    private final FerryClock clock;
    private final Map<String, Long> tidiedNs = new ConcurrentHashMap<>();

    StateTidier(ReceiverSettings settings, FerryClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    void tidy(String folder, Path root) {
        long now = clock.nanoTime();
        Long last = tidiedNs.get(folder);
        if (last != null && now - last < EVERY_NS) {
            return;
        }
        tidiedNs.put(folder, now);
        try (Beneath folderRoot = Beneath.open(root)) {
            if (settings.trashOn()) {
                int removed = Trash.expire(folderRoot, settings.trash(), clock.withZone(ZoneId.systemDefault()));
                if (removed > 0) {
                    log.info("folder={} removed {} trash day folder(s) older than {}", folder, removed,
                            Human.duration(settings.trash()));
                }
            }
            int held = new HeldHashes(folderRoot).expire(clock.instant().minus(Duration.ofHours(1)));
            if (held > 0) {
                log.debug("folder={} removed {} held hash list(s) of files replaced or removed since", folder, held);
            }
            int partials = StalePartials.expire(folderRoot, settings.partialMaxAge(), clock);
            if (partials > 0) {
                log.info("folder={} removed {} partial file(s) of transfers not resumed within {}", folder, partials,
                        Human.duration(settings.partialMaxAge()));
            }
        } catch (IOException e) {
            log.warn("folder={} could not tidy its state folder: {}", folder, e.toString());
        }
    }
}
