package dev.ferry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.path.RelativePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A sink that records every change: written by the watcher thread, read and awaited by the test thread. */
final class Changes implements Consumer<Change> {
    /** Upper bound for a change to arrive: a deadline against a hung test, never waited out when things work. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private final List<Change> all = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Change change) {
        all.add(change);
    }

    List<Change> all() {
        return List.copyOf(all);
    }

    void clear() {
        all.clear();
    }

    /** The paths that no change so far covers (a PathChanged of it, or a Rescan of it or an ancestor). */
    List<String> uncovered(Collection<String> paths) {
        List<Change> seen = all();
        Set<String> changed = new HashSet<>();
        List<Change> rescans = new ArrayList<>();
        for (Change c : seen) {
            if (c instanceof Change.PathChanged p) {
                changed.add(p.path().text());
            } else {
                rescans.add(c);
            }
        }
        return paths.stream()
                .filter(p -> !changed.contains(p) && rescans.stream().noneMatch(r -> r.covers(RelativePath.of(p))))
                .toList();
    }

    void awaitCovered(String... paths) {
        awaitCovered(List.of(paths));
    }

    void awaitCovered(Collection<String> paths) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(uncovered(paths)).as("paths no change covers").isEmpty());
    }

    void awaitContains(Change... expected) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(all()).contains(expected));
    }

    /** Changes that name {@code prefix} or something below it. */
    List<Change> about(String prefix) {
        return all().stream().filter(c -> c.path().isWithin(RelativePath.of(prefix))).toList();
    }
}
