package dev.ferry.daemon;

import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.push.TransferListener;
import dev.ferry.status.TargetStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a target's connections are doing now, for {@code ferry status} and the metrics: passes every event on to the
 * target's journal (the {@code next} listener) and keeps the file going out, the bytes and files still to go in the
 * current plan, the acknowledged-bytes rate, NACKs by reason, and the change-to-commit latency. Called from the
 * connections' writer threads (several at once with several connections), read from any thread.
 */
final class TargetActivity implements TransferListener {

    private record Flight(SourceEntry file, int chunkSize, AtomicLong bytesDone) {
        long chunkBytes(int index) {
            return Math.max(0, Math.min(chunkSize, file.size() - (long) index * chunkSize));
        }
    }

    private final TransferListener next;
    private final ChangeTimes changeTimes;
    private final RateWindow rate;
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> nacks = new ConcurrentHashMap<>();
    private final AtomicLong planFilesLeft = new AtomicLong();
    private final AtomicLong planBytesLeft = new AtomicLong();
    private volatile Flight latest;

    TargetActivity(TransferListener next, ChangeTimes changeTimes, RateWindow rate) {
        this.next = next;
        this.changeTimes = changeTimes;
        this.rate = rate;
    }

    /** A plan goes out now: its files and bytes are what is pending until they commit or fail. */
    void planStarts(PushPlan plan) {
        planFilesLeft.set(plan.files().size());
        planBytesLeft.set(plan.files().stream().mapToLong(SourceEntry::size).sum());
    }

    /** The plan is over (done or broken off): nothing of it is pending any more, nothing is in flight. */
    void planEnded() {
        planFilesLeft.set(0);
        planBytesLeft.set(0);
        flights.clear();
        latest = null;
    }

    long planFilesLeft() {
        return Math.max(0, planFilesLeft.get());
    }

    long planBytesLeft() {
        return Math.max(0, planBytesLeft.get());
    }

    long bytesPerSecond() {
        return rate.bytesPerSecond();
    }

    /** The file most recently started that has not finished, or null. */
    TargetStatus.InFlight inFlight() {
        Flight f = latest;
        if (f == null || !flights.containsKey(f.file().remotePath())) {
            f = flights.values().stream().findFirst().orElse(null);
        }
        return f == null ? null : new TargetStatus.InFlight(f.file().remotePath(), f.file().size(), f.bytesDone().get());
    }

    /** NACKs so far by reason (a copy). */
    Map<String, Long> nacksByReason() {
        Map<String, Long> copy = new java.util.HashMap<>();
        nacks.forEach((reason, n) -> copy.put(reason, n.get()));
        return copy;
    }

    @Override
    public void started(SourceEntry file, int chunkSize, int chunkCount, byte[] fileHash) {
        Flight f = new Flight(file, chunkSize, new AtomicLong());
        flights.put(file.remotePath(), f);
        latest = f;
        next.started(file, chunkSize, chunkCount, fileHash);
    }

    @Override
    public void acked(SourceEntry file, int index) {
        Flight f = flights.get(file.remotePath());
        if (f != null) {
            long n = f.chunkBytes(index);
            f.bytesDone().addAndGet(n);
            planBytesLeft.addAndGet(-n);
            rate.add(n);
        }
        next.acked(file, index);
    }

    @Override
    public void refused(SourceEntry file, int index, int attempt, String reason) {
        nacks.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        next.refused(file, index, attempt, reason);
    }

    @Override
    public void committed(SourceEntry file, boolean identical) {
        finished(file);
        changeTimes.committed(file.local());
        next.committed(file, identical);
    }

    @Override
    public void failed(SourceEntry file, String reason) {
        finished(file);
        next.failed(file, reason);
    }

    /** The file left the plan: its bytes not acknowledged (all of them when the receiver had it) are no longer due. */
    private void finished(SourceEntry file) {
        Flight f = flights.remove(file.remotePath());
        long done = f == null ? 0 : f.bytesDone().get();
        planBytesLeft.addAndGet(-(file.size() - done));
        planFilesLeft.decrementAndGet();
    }
}
