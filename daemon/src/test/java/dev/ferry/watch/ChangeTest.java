package dev.ferry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.path.RelativePath;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChangeTest {
    @Test
    void rescanCoversItsSubtreeOnly() {
        Change.Rescan r = new Change.Rescan(RelativePath.of("a/b"), "poll");

        assertThat(r.covers(RelativePath.of("a/b"))).isTrue();
        assertThat(r.covers(RelativePath.of("a/b/c/d"))).isTrue();
        assertThat(r.covers(RelativePath.of("a/bc"))).isFalse();
        assertThat(r.covers(RelativePath.of("a"))).isFalse();
        Change.Rescan all = new Change.Rescan(RelativePath.ROOT, "overflow");
        assertThat(all.covers(RelativePath.of("anything/at/all"))).isTrue();
    }

    @Test
    void pathChangedCoversItsPathOnly() {
        assertThat(new Change.PathChanged(RelativePath.of("a")).covers(RelativePath.of("a"))).isTrue();
        assertThat(new Change.PathChanged(RelativePath.of("a")).covers(RelativePath.of("a/b"))).isFalse();
    }

    @Test
    void relativePathsAreSlashSeparatedAndResolveBack() {
        Path root = Path.of("/srv/src");

        assertThat(RelativePath.between(root, root).text()).isEmpty();
        assertThat(RelativePath.between(root, root.resolve("a/b c/d")).text()).isEqualTo("a/b c/d");
        assertThat(RelativePath.of("a/b c/d").under(root)).isEqualTo(root.resolve("a").resolve("b c").resolve("d"));
        assertThat(RelativePath.ROOT.under(root)).isEqualTo(root);
    }

    @Test
    void optionsRefuseANonPositivePollInterval() {
        assertThat(WatcherOptions.defaults().pollUnwatchedEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(WatcherOptions.defaults().pollIntervalText()).isEqualTo("2s");
        assertThat(new WatcherOptions(Duration.ofMillis(50)).pollIntervalText()).isEqualTo("50ms");
        assertThatThrownBy(() -> new WatcherOptions(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollUnwatchedEvery=0ms must be positive");
    }
}
