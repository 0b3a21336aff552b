package dev.ferry.disk;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a long blocking system call (fsync) made through the FFM API on a platform thread when the caller is a
 * virtual thread. An FFM downcall pins the virtual thread's carrier for as long as the kernel takes, and the JDK
 * lends out no other carrier meanwhile (it does for its own FileChannel): on 2 cores, the parallel fsyncs of a
 * {@code CommitGroup} (32 at once ~0.4 ms each, one at a time ~1.5-3 ms) ran two at a time and a push of 20,000
 * small files took ~15% longer. Here the virtual thread waits unmounted while a pooled platform thread blocks.
 * The wait is not cut short by an interrupt (the descriptor must stay open until the call has returned); the
 * interrupt is kept for the caller. Thread-safe.
 */
final class OffCarrier {
    /** Platform threads made as needed and kept a minute when idle (daemon: they never hold up an exit). */
    private static final ExecutorService POOL =
            Executors.newCachedThreadPool(Thread.ofPlatform().name("ferry-sync-", 0).daemon().factory());

    /** A blocking call. */
    interface Call {
        void run() throws Syscalls.Failure;
    }

    private OffCarrier() {
    }

    static void run(Call call) throws Syscalls.Failure {
        if (!Thread.currentThread().isVirtual()) {
            call.run();
            return;
        }
        Future<Void> done = POOL.submit(() -> {
            call.run();
            return null;
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Syscalls.Failure f) {
                        throw f;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
