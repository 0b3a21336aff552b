package dev.ferry.cli;

import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ferry demo}: the product's main job on loopback, in this process. A receiver and a daemon that watches a
 * generated folder ({@link DemoRig}); changes to that folder, each shown as it arrives with its latency
 * ({@link DemoSteps}, {@link DroppedLinkStep}); the daemon's status ({@link DemoStatusSection}); what to try next
 * ({@link DemoNextSteps}). Everything lives in one folder ({@link DemoFolder}), removed at the end, on Ctrl-C too,
 * unless {@code --keep} or {@code --dir}.
 */
final class DemoCommand implements Verb {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "watch a generated folder, mirror it to a receiver on 127.0.0.1, show each change arrive";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry demo [--dir DIR] [--keep]
                Run ferry's main job on 127.0.0.1, in this process: a receiver, and a daemon that watches a generated
                folder and mirrors it into the receiver's. Then change the folder (create, modify, rename a folder, a
                burst of files, a big file during which the connection drops, delete) and print each change once it
                has arrived, with its latency; then the daemon's status and the commands to try next.

                  --dir DIR   put the demo's files in DIR and keep them (default: a new temp folder)
                  --keep      keep the temp folder at the end (it is removed otherwise, on Ctrl-C too)
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of("--dir");
    }

    @Override
    public Set<String> flags() {
        return Set.of("--keep");
    }

    @Override
    public int run(Args args) throws IOException {
        args.expectPositionals(name());
        Path dir = args.value("--dir") == null ? null : Path.of(args.value("--dir"));
        if (dir != null && Files.isDirectory(dir) && !isEmpty(dir)) {
            // a second run would find the first one's files (its renamed folder, its journals) in the way
            throw new UsageException("--dir " + dir + " is not empty: give a new or empty folder");
        }
        boolean keep = dir != null || args.flag("--keep");
        PrintStream out = System.out;
        DemoFolder folder = DemoFolder.create(dir);
        Cleanup cleanup = new Cleanup(folder, keep);
        Thread demo = Thread.currentThread();
        CountDownLatch demoStopped = new CountDownLatch(1);
        Thread onExit = new Thread(() -> {
            // Ctrl-C: the demo's steps stop first (they write into the folder: a burst made after the folder was
            // removed would make it again), then the daemon and the receiver, then the folder goes
            demo.interrupt();
            try {
                demoStopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cleanup.run();
        }, "ferry-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(onExit);
        DemoLogs logs = DemoLogs.quiet();
        try {
            DemoRig rig = DemoRig.start(folder);
            cleanup.rig = rig;
            folder.writeConfig(DemoNextSteps.PORT);
            out.println("ferry demo: a receiver on 127.0.0.1:" + rig.port() + " serving " + folder.target()
                    + " as folder '" + DemoRig.FOLDER + "',");
            out.println("and a daemon mirroring " + folder.source() + " into it (" + rig.uri() + ").");
            out.println();
            out.println("Changes to source/, each shown once target/ holds it byte for byte:");
            DemoSteps steps = new DemoSteps(folder, rig, new Arrival(FerryClock.system()), out);
            steps.run();
            steps.awaitInSync();
            out.println();
            if (DemoStatusSection.print(rig, folder, out) != ExitCode.OK) {
                return ExitCode.FAILED;
            }
            out.println();
            DemoNextSteps.print(folder, keep, out);
            return ExitCode.OK;
        } finally {
            demoStopped.countDown(); // nothing more is written into the folder by this thread
            boolean interrupted = Thread.interrupted(); // (Ctrl-C's: the stopping below waits for the parts' threads)
            try {
                cleanup.run(); // before the log level goes back: the parts' INFO lines about stopping stay out
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                logs.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(onExit);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook runs (and finds the work done)
                }
            }
        }
    }

    /** How long Ctrl-C waits for the demo's steps to stop before it removes the folder anyway. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Stops what runs and removes the folder (unless kept), once, from the demo's thread or the shutdown hook. */
    private static final class Cleanup {
        private final DemoFolder folder;
        private final boolean keep;
        private volatile DemoRig rig;
        private boolean done;

        Cleanup(DemoFolder folder, boolean keep) {
            this.folder = folder;
            this.keep = keep;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (rig != null) {
                    rig.close();
                }
            } finally {
                if (!keep) {
                    try {
                        folder.delete();
                    } catch (IOException e) {
                        System.err.println("ferry: could not remove the demo folder " + folder.base() + ": " + e);
                    }
                }
            }
        }
    }
}
