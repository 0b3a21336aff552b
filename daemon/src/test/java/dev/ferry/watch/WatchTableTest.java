package dev.ferry.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bookkeeping of keys and names, with keys from the fake service. */
class WatchTableTest {
    private final FakeWatchService service = new FakeWatchService();
    private final WatchTable table = new WatchTable();

    private FakeWatchService.Key key(String dir) {
        return new FakeWatchService.Key(service, Path.of("/root", dir));
    }

    @Test
    void keyRegisteredAgainUnderANewNameFollowsTheMove() {
        // inotify returns the same key for a directory (inode) that moved and is registered under its new name
        FakeWatchService.Key k = key("a");
        table.watch("a", k, "inode-7");

        table.watch("b", k, "inode-7");

        assertThat(table.pathOf(k)).isEqualTo("b");
        assertThat(table.isWatched("a", "inode-7")).isFalse();
        assertThat(table.isWatched("b", "inode-7")).isTrue();
        table.forget("a"); // the late delete event of the old name
        assertThat(k.isValid()).isTrue();
        assertThat(table.watchedCount()).isEqualTo(1);
    }

    @Test
    void directoryReplacedUnderTheSameNameGetsItsNewKey() {
        FakeWatchService.Key old = key("a");
        FakeWatchService.Key fresh = key("a");
        table.watch("a", old, "inode-1");

        assertThat(table.isWatched("a", "inode-2")).isFalse();
        table.watch("a", fresh, "inode-2");

        assertThat(old.isValid()).isFalse();
        assertThat(table.pathOf(old)).isNull();
        assertThat(table.pathOf(fresh)).isEqualTo("a");
    }

    @Test
    void forgetTakesTheSubtreeButNotSiblingsThatShareAPrefix() {
        FakeWatchService.Key a = key("a");
        FakeWatchService.Key ab = key("a/b");
        FakeWatchService.Key aSibling = key("a b");
        FakeWatchService.Key aa = key("aa");
        table.watch("a", a, 1);
        table.watch("a/b", ab, 2);
        table.watch("a b", aSibling, 3);
        table.watch("aa", aa, 4);
        table.unwatched("a/c");
        table.unwatched("ab");

        table.forget("a");

        assertThat(a.isValid()).isFalse();
        assertThat(ab.isValid()).isFalse();
        assertThat(aSibling.isValid()).isTrue();
        assertThat(aa.isValid()).isTrue();
        assertThat(table.unwatched()).containsExactly("ab");
        assertThat(table.watchedCount()).isEqualTo(2);
    }

    @Test
    void topMostUnwatchedCoverTheOthers() {
        for (String d : new String[] {"a", "a/b", "a/b/c", "a b", "c/d", "c/d/e", "c/f"}) {
            table.unwatched(d);
        }

        assertThat(table.topMostUnwatched()).containsExactly("a", "a b", "c/d", "c/f");
    }

    @Test
    void retainOnlyForgetsWhatTheWalkDidNotSee() {
        FakeWatchService.Key a = key("a");
        FakeWatchService.Key b = key("b");
        table.watch("", key(""), 0);
        table.watch("a", a, 1);
        table.watch("b", b, 2);
        table.unwatched("b/x");

        table.retainOnly(Set.of("", "a"));

        assertThat(table.watchedCount()).isEqualTo(2);
        assertThat(b.isValid()).isFalse();
        assertThat(table.hasUnwatched()).isFalse();
    }
}
