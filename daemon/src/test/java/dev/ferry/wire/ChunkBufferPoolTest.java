package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ChunkBufferPoolTest {
    @Test
    void buffersAreDirectSizedToNeedInPowersOfTwoAndReused() throws Exception {
        ChunkBufferPool pool = new ChunkBufferPool(2, 1 << 20);

        ByteBuffer small = pool.take(100);
        assertThat(small.isDirect()).isTrue();
        assertThat(small.capacity()).isEqualTo(64 * 1024);
        assertThat(small.position()).isZero();
        assertThat(small.limit()).isEqualTo(100);
        ByteBuffer mid = pool.take(65_537);
        assertThat(mid.capacity()).isEqualTo(128 * 1024);
        pool.give(small);
        pool.give(mid);

        ByteBuffer again = pool.take(1000);
        assertThat(again).as("a free buffer that fits is reused").isSameAs(small);
        assertThat(again.limit()).isEqualTo(1000);
        ByteBuffer big = pool.take(1 << 20);
        assertThat(big).as("too small a free buffer is replaced").isNotSameAs(mid);
        assertThat(big.capacity()).isEqualTo(1 << 20);
    }

    @Test
    @Timeout(10)
    void atMostCountBuffersAreOutAtOnce() throws Exception {
        ChunkBufferPool pool = new ChunkBufferPool(1, 4096);
        ByteBuffer first = pool.take(10);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.give(pool.take(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(waiter.join(java.time.Duration.ofMillis(200))).as("blocked while the only buffer is out").isFalse();
        pool.give(first);
        assertThat(waiter.join(java.time.Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aChunkLongerThanTheBufferSizeIsABug() {
        ChunkBufferPool pool = new ChunkBufferPool(1, 4096);
        assertThatThrownBy(() -> pool.take(4097)).isInstanceOf(IllegalArgumentException.class).hasMessage("length=4097 > bufferSize=4096");
    }
}
