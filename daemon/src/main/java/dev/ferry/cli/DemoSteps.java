package dev.ferry.cli;

import dev.ferry.status.SenderCounters;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The changes the demo makes to {@code source/} while the daemon watches it, each printed as one line once the target
 * holds it byte for byte, with the time from the change to its arrival. Runs on the demo's thread.
 */
final class DemoSteps {
    /** Files in the burst. */
    static final int BURST = 500;
    /** The bounded wait of one step (the big file's has its own, {@link DroppedLinkStep#LIMIT}). */
    static final Duration LIMIT = Duration.ofSeconds(10);
    private static final String LINE = "  %-44s %s%n";

    private final DemoFolder folder;
    private final DemoRig rig;
    private final Arrival arrival;
    private final PrintStream out;

    DemoSteps(DemoFolder folder, DemoRig rig, Arrival arrival, PrintStream out) {
        this.folder = folder;
        this.rig = rig;
        this.arrival = arrival;
        this.out = out;
    }

    /** Every step in order; throws naming the step that did not arrive in time. */
    void run() throws IOException {
        initialSync();
        create();
        modify();
        renameFolder();
        burst();
        new DroppedLinkStep(folder, rig, arrival).run(out);
        // the session the drop broke had its work queued again: let it finish before the file goes, or that send
        // finds the file gone and the daemon counts it as a failure
        awaitInSync();
        delete();
        String difference = TreeDiff.firstDifference(folder.source(), folder.target());
        if (difference != null) {
            throw new IOException("the target differs from the source: " + difference);
        }
        out.println("  target is byte-identical to the source (contents, mtime, mode)");
    }

    static void print(PrintStream out, String what, String outcome) {
        out.printf(Locale.ROOT, LINE, what, outcome);
    }

    private void initialSync() throws IOException {
        int files = DemoTree.writeSample(folder.source());
        long bytes = treeBytes(folder.source());
        long changedAt = arrival.now();
        rig.startDaemon();
        long took = arrival.await("the sample tree", changedAt, LIMIT,
                () -> TreeDiff.firstDifference(folder.source(), folder.target()) == null);
        print(out, "initial sync: " + files + " files, " + ProgressLine.size(bytes), "arrived in " + Arrival.format(took));
    }

    private void create() throws IOException {
        Path notes = folder.source().resolve("notes.txt");
        Files.writeString(notes, "Hello from ferry.\n");
        long took = awaitFile("notes.txt", arrival.now());
        print(out, "created notes.txt (" + ProgressLine.size(Files.size(notes)) + ")", "arrived in " + Arrival.format(took));
    }

    private void modify() throws IOException {
        Path notes = folder.source().resolve("notes.txt");
        Files.writeString(notes, "A second line, appended.\n", StandardOpenOption.APPEND);
        long took = awaitFile("notes.txt", arrival.now());
        print(out, "modified notes.txt (now " + ProgressLine.size(Files.size(notes)) + ")",
                "arrived in " + Arrival.format(took));
    }

    private void renameFolder() throws IOException {
        awaitInSync(); // the counters of the steps before are all in (a commit is counted once its answer is back)
        SenderCounters before = counters();
        Files.move(folder.source().resolve("photos"), folder.source().resolve("pictures"));
        long changedAt = arrival.now();
        long took = arrival.await("the renamed folder", changedAt, LIMIT,
                () -> !Files.exists(folder.target().resolve("photos"))
                        && TreeDiff.firstDifference(folder.source().resolve("pictures"), folder.target().resolve("pictures"))
                        == null);
        // the RENAME is counted once its answer is back, a moment after the target shows it
        arrival.await("the RENAME's acknowledgement", arrival.now(), LIMIT, () -> counters().renames() > before.renames());
        SenderCounters after = counters();
        print(out, "renamed folder photos/ to pictures/", "arrived in " + Arrival.format(took) + " (" + count(
                after.renames() - before.renames(), "RENAME") + ", " + ProgressLine.size(after.bytesSent() - before.bytesSent())
                + " of file data sent)");
    }

    private void burst() throws IOException {
        Path burst = folder.source().resolve("burst");
        long changedAt = arrival.now();
        long bytes = DemoTree.writeBurst(burst, BURST);
        Path target = folder.target().resolve("burst");
        long took = arrival.await("the burst", changedAt, LIMIT,
                () -> entries(target) == BURST && TreeDiff.firstDifference(burst, target) == null);
        print(out, "burst of " + BURST + " files in burst/ (" + ProgressLine.size(bytes) + ")", "arrived in "
                + Arrival.format(took) + String.format(Locale.ROOT, " (%.0f files/s)", BURST / (took / 1e9)));
    }

    private void delete() throws IOException {
        new DemoFolder(folder.source().resolve("burst"), false).delete();
        Files.delete(folder.source().resolve(DroppedLinkStep.NAME));
        long changedAt = arrival.now();
        long took = arrival.await("the deletes", changedAt, LIMIT,
                () -> !Files.exists(folder.target().resolve("burst"))
                        && !Files.exists(folder.target().resolve(DroppedLinkStep.NAME)));
        print(out, "deleted burst/ and " + DroppedLinkStep.NAME, "arrived in " + Arrival.format(took)
                + " (held back in case it was half of a move)");
    }

    /** Waits until the target's file at {@code name} matches the source's, byte for byte. */
    private long awaitFile(String name, long changedAt) throws IOException {
        return arrival.await(name, changedAt, LIMIT,
                () -> TreeDiff.fileDifference(folder.source().resolve(name), folder.target().resolve(name)) == null);
    }

    /** Waits (bounded) until the target says {@code in sync}: the snapshot the status section shows. */
    void awaitInSync() throws IOException {
        arrival.await("the 'in sync' state", arrival.now(), LIMIT, () -> target().state() == SyncState.IN_SYNC);
    }

    private TargetStatus target() {
        return rig.daemon().status().pairs().getFirst().targets().getFirst();
    }

    private SenderCounters counters() {
        return target().counters();
    }

    private static long entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static long treeBytes(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String count(long n, String what) {
        return n == 1 ? "one " + what : n + " " + what + "s";
    }
}
