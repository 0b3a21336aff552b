package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionThreadsTest {
    private static Thread startAndGetRunner(SessionThreads kind) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        Thread started = kind.start("ferry-test-thread", () -> ran.complete(Thread.currentThread()));
        Thread runner = ran.get(10, TimeUnit.SECONDS);
        assertThat(runner).isSameAs(started);
        assertThat(runner.getName()).isEqualTo("ferry-test-thread");
        return runner;
    }

    @Test
    void platformThreadsAreDaemonsSoThatTheyNeverHoldTheProcessUp() throws Exception {
        Thread t = startAndGetRunner(SessionThreads.PLATFORM);
        assertThat(t.isVirtual()).isFalse();
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void virtualIsTheDefaultOfPushSettings() throws Exception {
        assertThat(startAndGetRunner(SessionThreads.VIRTUAL).isVirtual()).isTrue();
        assertThat(dev.ferry.testing.Loopback.pushSettings(1, "f", dev.ferry.auth.Token.of("a secret of sixteen bytes or more")).threads()).isEqualTo(SessionThreads.VIRTUAL);
    }
}
