package dev.ferry.time;

import java.time.Instant;

/** {@link FerryClock#system()}: the JVM's own clocks. */
enum SystemClock implements FerryClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }
}
