package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Removes what interrupted transfers left in {@code <root>/.ferry/partial/} once nobody came back for it: a
 * partial file (and its sidecar) not written for {@code maxAge}, and a sidecar whose partial file is gone. A
 * transfer in progress writes its partial file all the time, so age alone tells them apart. Runs on the thread
 * of a session that just started (see {@link Receiver}); every look and removal beneath the root.
 */
final class StalePartials {
    private StalePartials() {
    }

    /** Returns the number of partial files removed. */
    static int expire(Beneath folder, Duration maxAge, InstantSource clock) throws IOException {
        Stat dir = folder.stat(PartialPaths.DIR);
        if (dir == null || !dir.isDirectory()) {
            return 0;
        }
        java.time.Instant cutoff = clock.instant().minus(maxAge);
        Map<String, Stat> data = new LinkedHashMap<>();
        Set<String> sidecars = new HashSet<>();
        folder.walk(PartialPaths.DIR, (rel, stat, target) -> {
            String name = rel.substring(PartialPaths.DIR.length() + 1);
            if (PartialPaths.isData(name)) {
                data.put(name, stat);
            } else if (PartialPaths.isSidecar(name)) {
                sidecars.add(name);
            }
            return false;
        });
        int removed = 0;
        for (Map.Entry<String, Stat> e : data.entrySet()) {
            if (java.time.Instant.ofEpochSecond(e.getValue().mtimeSeconds(), e.getValue().mtimeNanos()).isBefore(cutoff)) {
                PartialPaths p = PartialPaths.ofData(folder, e.getKey());
                if (folder.deleteFile(p.data())) {
                    removed++;
                }
                folder.deleteFile(p.sidecar());
            }
        }
        for (String sidecar : sidecars) {
            PartialPaths p = PartialPaths.ofSidecar(folder, sidecar);
            if (!data.containsKey(p.data().substring(PartialPaths.DIR.length() + 1))) {
                folder.deleteFile(p.sidecar());
            }
        }
        return removed;
    }
}
