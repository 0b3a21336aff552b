package dev.ferry.testing;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The hand-over between a stream's reader thread and its writer thread: reads with the time they are due,
 * bounded by bytes (the reader blocks when {@code maxBytes} are waiting), so a delay keeps memory bounded while
 * still letting a whole bandwidth-delay product be in flight.
 */
final class TimedQueue {
    /** One read; {@code data == null} marks the end of the stream. */
    record Item(byte[] data, long dueNanos) {
        boolean isEnd() {
            return data == null;
        }
    }

    private static final Item END = new Item(null, 0);

    private final Semaphore credits;
    private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>();

    TimedQueue(int maxBytes) {
        this.credits = new Semaphore(maxBytes);
    }

    /** Reader thread: blocks while the queue is full. {@code data.length} must not exceed {@code maxBytes}. */
    void put(byte[] data, long dueNanos) throws InterruptedException {
        credits.acquire(data.length);
        items.add(new Item(data, dueNanos));
    }

    /** Reader thread: no more data will follow. */
    void end() {
        items.add(END);
    }

    /** Writer thread: the oldest item, waiting for one. */
    Item take() throws InterruptedException {
        return items.take();
    }

    /** Writer thread: {@code item} is written; its bytes no longer count against the bound. */
    void done(Item item) {
        if (!item.isEnd()) {
            credits.release(item.data().length);
        }
    }
}
