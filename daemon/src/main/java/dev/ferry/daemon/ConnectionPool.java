package dev.ferry.daemon;

import dev.ferry.push.PushConnection;
import dev.ferry.push.PushException;
import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.SessionThreads;
import dev.ferry.push.StripeCrew;
import dev.ferry.push.SourceEntry;
import dev.ferry.push.TransferListener;
import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A target's push connections: opened when there is work, kept open between plans, closed after {@link #IDLE_CLOSE}
 * without work (so an idle daemon holds no connection, and no receiver slot). Carries out one plan at a time,
 * spreading its files over the connections, or, for a plan of few files, lending the connections besides the first
 * to a {@link StripeCrew} so that a big file's chunks go over all of them (parallel streams). Owned by the target's
 * thread; its plans' files and stripes are sent on virtual threads of their own that end before {@link #carryOut}
 * returns; the array of connections is guarded by this object's lock, as stripe threads open theirs.
 */
final class ConnectionPool implements AutoCloseable, StripeCrew.Lanes {
    static final Duration IDLE_CLOSE = Duration.ofSeconds(10);
    /**
     * A big file is split over the connections only to a receiver at least this far away (round trip): one TCP
     * window (4 MiB here) then moves at most ~400 MB/s, and a longer link less; nearer, one connection keeps up and
     * more streams only cost CPU (measured on 127.0.0.1, 2 cores: 1 GiB in 371 MB/s on one, 291 on two, 228 on four;
     * through a 25 ms proxy: 139, 192, 265 MB/s; bench/results-streams_bench.txt).
     */
    static final Duration STRIPE_MIN_RTT = Duration.ofMillis(10);

    private final PushSettings settings;
    private final TransferListener listener;
    private final FerryClock clock;
    private final PushConnection[] connections;
    /** How many of {@link #connections} are open: read by status from any thread. */
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    private long lastUsedNs;
    private final Duration stripeMinRtt;

    ConnectionPool(PushSettings settings, TransferListener listener, int connections, FerryClock clock) {
        this(settings, listener, connections, clock, STRIPE_MIN_RTT);
    }

    /** @param stripeMinRtt split big files over the connections only to a receiver at least this far away */
    ConnectionPool(PushSettings settings, TransferListener listener, int connections, FerryClock clock, Duration stripeMinRtt) {
        this.stripeMinRtt = stripeMinRtt;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.connections = new PushConnection[connections];
    }

    /**
     * Carries out a plan: with one connection, or few files, all of it on connection 0; otherwise the tree
     * operations first on connection 0, then the files spread over every connection in parallel (the receiver
     * serves each on its own thread, so their verifying, writing and fsyncs overlap), then the directories (last,
     * so their mtimes stick).
     */
    List<PushResult> carryOut(PushPlan plan) throws PushException {
        int n = connections.length;
        if (n == 1) {
            return List.of(connection(0).send(plan));
        }
        if (plan.files().size() < 2 * n) { // (the crew closes before the plan returns: its stripes end with it)
            try (StripeCrew crew = new StripeCrew(n - 1, this, SessionThreads.VIRTUAL, stripeMinRtt)) {
                return List.of(connection(0).send(plan, crew));
            }
        }
        List<PushResult> results = new ArrayList<>();
        if (!plan.ops().isEmpty()) {
            results.add(connection(0).send(new PushPlan(plan.ops(), List.of(), List.of(), Map.of(), List.of())));
        }
        List<List<SourceEntry>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
            connection(i);
        }
        for (int i = 0; i < plan.files().size(); i++) {
            parts.get(i % n).add(plan.files().get(i));
        }
        List<Future<PushResult>> running = new ArrayList<>();
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                PushConnection c = connections[i];
                PushPlan part = new PushPlan(List.of(), parts.get(i), List.of(), plan.knownDigests(), List.of());
                running.add(parallel.submit(() -> c.send(part)));
            }
        }
        PushException failure = null;
        for (Future<PushResult> f : running) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                PushException pe = e.getCause() instanceof PushException p ? p : new PushException(e.getCause().toString(), e.getCause());
                if (failure == null) {
                    failure = pe;
                } else {
                    failure.addSuppressed(pe);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PushException("interrupted");
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!plan.directories().isEmpty()) {
            results.add(connection(0).send(new PushPlan(List.of(), List.of(), plan.directories(), Map.of(), List.of())));
        }
        return results;
    }

    /** Connections open now; any thread. */
    int openConnections() {
        return open.get();
    }

    /** A round of work went through: the idle time counts from now. */
    void used() {
        lastUsedNs = clock.nanoTime();
    }

    /** Closes the connections if no round has gone through for {@link #IDLE_CLOSE}. */
    void closeIfIdle() {
        if (clock.nanoTime() - lastUsedNs > IDLE_CLOSE.toNanos()) {
            close();
        }
    }

    private synchronized PushConnection connection(int i) throws PushException {
        if (connections[i] == null) {
            // (more than one: each may stripe a big file over the others, or join one)
            connections[i] = PushConnection.open(settings, listener, clock, connections.length > 1);
            open.incrementAndGet();
        }
        return connections[i];
    }

    /** A stripe thread: lane {@code lane} is the connection after the first. */
    @Override
    public PushConnection open(int lane) throws PushException {
        return connection(lane + 1);
    }

    /** A stripe thread: the lane's connection failed; the next use opens another. */
    @Override
    public void broken(int lane) {
        PushConnection c;
        synchronized (this) {
            c = connections[lane + 1];
            connections[lane + 1] = null;
            if (c != null) {
                open.decrementAndGet();
            }
        }
        if (c != null) {
            c.close();
        }
    }

    /** Closes every open connection; the next plan opens them again. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) {
                connections[i].close();
                connections[i] = null;
                open.decrementAndGet();
            }
        }
    }
}
