package dev.ferry.push;

/** What a push session runs its helper threads on: the connection's reader and watchdog, the hashers. */
public enum SessionThreads {
    /** One virtual thread per blocking task, however many targets a process serves: the daemon (the default). */
    VIRTUAL,
    /**
     * Platform threads, daemon threads so that they never hold the process up: a one-shot {@code ferry push}, which
     * runs four at most. They block in the kernel with no hop through the virtual-thread poller, and spare a
     * short-lived process starting and stopping the virtual-thread scheduler (a small push was ~15 ms faster, a
     * resume of 512 MiB ~60 ms).
     */
    PLATFORM;

    Thread start(String name, Runnable task) {
        return switch (this) {
            case VIRTUAL -> Thread.ofVirtual().name(name).start(task);
            case PLATFORM -> Thread.ofPlatform().daemon().name(name).start(task);
        };
    }

    /** Waits up to 5 s for {@code t} (null: nothing to wait for) to end; the caller's interrupt is kept. */
    static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
