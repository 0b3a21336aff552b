package dev.ferry.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RelativePathTest {

    @Test
    void refusesEmptyDotAndDotDotSegmentsAndNulQuotingTheValue() {
        for (String bad : new String[] {"/a", "a/", "a//b", "./a", "a/..", "..", "."}) {
            assertThatThrownBy(() -> RelativePath.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path='" + bad + "' is not a relative path of plain names separated by single '/'");
        }
        assertThatThrownBy(() -> RelativePath.of("a\0b")).hasMessage("path='a?b' contains a NUL character");
        assertThatThrownBy(() -> RelativePath.check("from", "", false))
                .hasMessage("from is empty (the root is not an entry)");
        assertThat(RelativePath.of("")).isSameAs(RelativePath.ROOT);
        assertThat(RelativePath.of("a/..b/c.").text()).isEqualTo("a/..b/c.");
    }

    @Test
    void joinsWithinAndRebasesTreatingTheRootAsHoldingEverything() {
        assertThat(RelativePath.join("", "a")).isEqualTo("a");
        assertThat(RelativePath.join("a", "")).isEqualTo("a");
        assertThat(RelativePath.join("a", "b/c")).isEqualTo("a/b/c");
        assertThat(RelativePath.within("a/b", "a")).isTrue();
        assertThat(RelativePath.within("a", "a")).isTrue();
        assertThat(RelativePath.within("ab", "a")).isFalse();
        assertThat(RelativePath.within("anything", "")).isTrue();
        assertThat(RelativePath.below("a", "a")).isFalse();
        assertThat(RelativePath.below("a/b", "a")).isTrue();
        assertThat(RelativePath.rebase("a/b/c", "a/b", "x")).isEqualTo("x/c");
        assertThat(RelativePath.rebase("a/b", "a/b", "x/y")).isEqualTo("x/y");
        assertThat(RelativePath.rebase("a/b", "", "x")).isEqualTo("x/a/b");
        assertThat(RelativePath.rebase("a/b", "a", "")).isEqualTo("b");
        assertThatThrownBy(() -> RelativePath.rebase("ab", "a", "x"))
                .hasMessage("path='ab' is not within from='a'");
        assertThat(RelativePath.depth("a/b/c")).isEqualTo(2);
    }

    @Test
    void findsWhatLiesBelowADirectoryInASortedMapOrSet() {
        TreeMap<String, Integer> sorted = new TreeMap<>();
        for (String p : new String[] {"a", "a b", "a/b", "a/b/c", "a0", "ab", "b"}) {
            sorted.put(p, p.length());
        }
        assertThat(RelativePath.below(sorted, "a").keySet()).containsExactly("a/b", "a/b/c");
        assertThat(RelativePath.below(sorted, "a/b").keySet()).containsExactly("a/b/c");
        assertThat(RelativePath.below(sorted, "b")).isEmpty();
        TreeSet<String> withRoot = new TreeSet<>(sorted.keySet());
        withRoot.add("");
        assertThat(RelativePath.below(withRoot, "")).containsExactly("a", "a b", "a/b", "a/b/c", "a0", "ab", "b");
        assertThat(RelativePath.below(withRoot, "a")).containsExactly("a/b", "a/b/c");
        RelativePath.below(sorted, "a").clear();
        assertThat(sorted.keySet()).containsExactly("a", "a b", "a0", "ab", "b");
    }

    @Test
    void listsAncestorsOutermostFirstWithoutTheRoot() {
        assertThat(RelativePath.ancestors("a/b/c")).containsExactly("a", "a/b");
        assertThat(RelativePath.ancestors("top")).isEmpty();
        assertThat(RelativePath.ancestors("")).isEmpty();
    }

    @Test
    void navigatesByValue() {
        RelativePath p = RelativePath.of("photos/2026/img.jpg");
        assertThat(p.fileName()).isEqualTo("img.jpg");
        assertThat(p.parent()).isEqualTo(RelativePath.of("photos/2026"));
        assertThat(RelativePath.of("top").parent()).isSameAs(RelativePath.ROOT);
        assertThat(RelativePath.ROOT.child("a").child("b")).isEqualTo(RelativePath.of("a/b"));
        assertThat(p.isWithin(RelativePath.of("photos"))).isTrue();
        assertThat(p.rebase(RelativePath.of("photos"), RelativePath.of("old"))).isEqualTo(RelativePath.of("old/2026/img.jpg"));
        assertThatThrownBy(() -> p.child("x/y")).hasMessage("name='x/y' is not a single plain name");
        assertThatThrownBy(RelativePath.ROOT::parent).hasMessage("the root has no parent");
        assertThat(RelativePath.of("a").compareTo(RelativePath.of("a/b"))).isNegative();
    }

    @Test
    void convertsToAndFromFileSystemPathsWhateverTheSeparator() throws IOException {
        try (FileSystem win = Jimfs.newFileSystem(Configuration.windows())) {
            Path root = win.getPath("C:\\src");
            Path file = root.resolve("a").resolve("b.txt");
            RelativePath rel = RelativePath.between(root, file);
            assertThat(rel.text()).isEqualTo("a/b.txt");
            assertThat(rel.under(root)).isEqualTo(file);
            assertThat(RelativePath.between(root, root)).isSameAs(RelativePath.ROOT);
            assertThat(RelativePath.ROOT.under(root)).isEqualTo(root);
        }
    }
}
