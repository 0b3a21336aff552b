package dev.ferry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChangeTest {
    @Test
    void rescanCoversItsSubtreeOnly() {
        Change.Rescan r = new Change.Rescan("a/b", "poll");

        assertThat(r.covers("a/b")).isTrue();
        assertThat(r.covers("a/b/c/d")).isTrue();
        assertThat(r.covers("a/bc")).isFalse();
        assertThat(r.covers("a")).isFalse();
        assertThat(new Change.Rescan("", "overflow").covers("anything/at/all")).isTrue();
    }

    @Test
    void pathChangedCoversItsPathOnly() {
        assertThat(new Change.PathChanged("a").covers("a")).isTrue();
        assertThat(new Change.PathChanged("a").covers("a/b")).isFalse();
    }

    @Test
    void relativePathsAreSlashSeparatedAndResolveBack() {
        Path root = Path.of("/srv/src");

        assertThat(RelativePaths.of(root, root)).isEmpty();
        assertThat(RelativePaths.of(root, root.resolve("a/b c/d"))).isEqualTo("a/b c/d");
        assertThat(RelativePaths.resolve(root, "a/b c/d")).isEqualTo(root.resolve("a").resolve("b c").resolve("d"));
        assertThat(RelativePaths.resolve(root, "")).isEqualTo(root);
    }

    @Test
    void optionsRefuseANonPositivePollInterval() {
        assertThat(WatcherOptions.defaults().pollUnwatchedEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(WatcherOptions.defaults().pollIntervalText()).isEqualTo("2s");
        assertThat(new WatcherOptions(Duration.ofMillis(50)).pollIntervalText()).isEqualTo("50ms");
        assertThatThrownBy(() -> new WatcherOptions(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollUnwatchedEvery=PT0S must be positive");
    }
}
