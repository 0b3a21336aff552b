package dev.ferry.daemon;

import dev.ferry.logging.Activity;
import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one INFO line a target writes per plan round it carried out (each file is not a line of its own):
 * {@code synced pair=/srv/photos target=ferry://backup:7878/photos files=12 bytes=4.1 MiB deletes=3 renames=1 in
 * 1.2s}. {@code files} counts files committed with new content, {@code bytes} the chunk data sent (re-sends
 * included), {@code deletes} and {@code renames} the plan's tree operations that did not fail; symlinks, unchanged
 * files and failures are added only when there are any. A round that changed nothing writes no line.
 */
record RoundSummary(int files, long bytes, int deletes, int renames, int symlinks, int unchanged, int failed,
                    Duration elapsed) {

    /** What the round {@code plan}, carried out as {@code results} in {@code elapsed}, did. */
    static RoundSummary of(PushPlan plan, List<PushResult> results, Duration elapsed) {
        int files = 0;
        int unchanged = 0;
        long bytes = 0;
        Set<String> failedPaths = new HashSet<>();
        for (PushResult r : results) {
            files += r.filesSent();
            unchanged += r.filesUnchanged();
            bytes += r.bytesSent();
            r.failures().forEach(f -> failedPaths.add(f.path()));
        }
        int deletes = 0;
        int renames = 0;
        int symlinks = 0;
        for (PushPlan.TreeEdit op : plan.ops()) {
            if (failedPaths.contains(op.path())) {
                continue;
            }
            switch (op) {
                case PushPlan.TreeEdit.Delete d -> deletes++;
                case PushPlan.TreeEdit.Rename r -> renames++;
                case PushPlan.TreeEdit.Symlink s -> symlinks++;
            }
        }
        return new RoundSummary(files, bytes, deletes, renames, symlinks, unchanged, failedPaths.size(), elapsed);
    }

    /** The line for {@code pair} and {@code target}; null when the round changed nothing and nothing failed. */
    String line(String pair, String target) {
        return new Activity(files, bytes, deletes, renames, symlinks, unchanged, failed)
                .line("synced pair=" + pair + " target=" + target, elapsed);
    }
}
