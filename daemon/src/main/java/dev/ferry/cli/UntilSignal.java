package dev.ferry.cli;

import java.util.concurrent.CountDownLatch;

/** How the long-running verbs ({@code daemon}, {@code receive}) wait: on the main thread, until SIGTERM or SIGINT. */
final class UntilSignal {
    private UntilSignal() {
    }

    /** Blocks until SIGTERM/SIGINT, then closes {@code service} (in the JVM's shutdown hook) and returns. */
    static void run(AutoCloseable service) throws InterruptedException {
        run(service, () -> {
        });
    }

    /**
     * Registers the SIGTERM/SIGINT hook that closes {@code service}, then runs {@code announce} (the line an operator
     * or a test waits for), then waits: a signal right after the announcement still closes the service cleanly.
     */
    static void run(AutoCloseable service, Runnable announce) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("ferry: stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "ferry-shutdown"));
        announce.run();
        stopped.await();
    }
}
