package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathsTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path root = createRoot(fs.getPath("/srv/folder"));

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
    }

    // ---- accepted -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", "names with spaces/ünïcödé.txt", ".hidden", "a/.ferry/x", ".ferryx/y",
            "...", "a/..b/c..", "back\\slash"})
    void acceptsOrdinaryRelativePaths(String relative) throws Exception {
        assertThat(SafePaths.resolve(root, relative)).isEqualTo(root.resolve(relative));
    }

    @Test
    void segmentsAreTheSlashSeparatedParts() throws Exception {
        assertThat(SafePaths.segments("names with spaces/ünïcödé.txt")).containsExactly("names with spaces", "ünïcödé.txt");
    }

    @Test
    void acceptsSegmentOfExactly255Bytes() throws Exception {
        String segment = "s".repeat(255);

        assertThat(SafePaths.resolve(root, "a/" + segment)).isEqualTo(root.resolve("a").resolve(segment));
    }

    @Test
    void acceptsPathOfExactly4096Bytes() throws Exception {
        // 17 segments of 240 bytes + 16 slashes = 4096
        String path = String.join("/", Collections.nCopies(17, "p".repeat(240)));
        assertThat(path.length()).isEqualTo(4096);

        assertThat(SafePaths.segments(path)).hasSize(17);
    }

    @Test
    void resolvesUnderExistingRealDirectories() throws Exception {
        Files.createDirectories(root.resolve("a/b"));

        assertThat(SafePaths.resolve(root, "a/b/c.txt")).isEqualTo(root.resolve("a/b/c.txt"));
    }

    @Test
    void lastSegmentMayAlreadyExistAsAFile() throws Exception {
        Files.writeString(root.resolve("existing.txt"), "old");

        assertThat(SafePaths.resolve(root, "existing.txt")).isEqualTo(root.resolve("existing.txt"));
    }

    // ---- refused by the string rules --------------------------------------------------------------------------

    @Test
    void refusesEmptyPath() {
        assertRefused("", "empty path");
    }

    @Test
    void refusesAbsolutePath() {
        assertRefused("/etc/passwd", "absolute path '/etc/passwd'");
    }

    @Test
    void refusesDotDotThatClimbsOut() {
        assertRefused("a/../../x", "'..' segment in 'a/../../x'");
    }

    @Test
    void refusesDotDotAlone() {
        assertRefused("..", "'..' segment in '..'");
    }

    @Test
    void refusesDotDotEvenWhenItStaysInside() {
        assertRefused("a/../b", "'..' segment in 'a/../b'");
    }

    @Test
    void refusesDotSegment() {
        assertRefused("./a", "'.' segment in './a'");
        assertRefused("a/.", "'.' segment in 'a/.'");
    }

    @Test
    void refusesDoubleSlash() {
        assertRefused("a//b", "empty segment in 'a//b'");
    }

    @Test
    void refusesTrailingSlash() {
        assertRefused("a/", "empty segment in 'a/'");
    }

    @Test
    void refusesNulAndQuotesIt() {
        assertRefused("a\0b", "path contains NUL: 'a\\x00b'");
    }

    @Test
    void refusesStateFolderAndAnythingInIt() {
        assertRefused(".ferry/partial/x", "'.ferry/partial/x' is inside ferry's state folder .ferry/");
        assertRefused(".ferry", "'.ferry' is inside ferry's state folder .ferry/");
    }

    @Test
    void refusesSegmentOf256Bytes() {
        String segment = "s".repeat(256);

        // the quoted path is cut at 200 characters
        assertRefused("a/" + segment, "segment longer than 255 bytes in 'a/" + "s".repeat(198) + "...'");
    }

    @Test
    void countsSegmentLengthInUtf8Bytes() {
        String segment = "é".repeat(128); // 128 characters, 256 bytes

        assertRefused(segment, "segment longer than 255 bytes in '" + "é".repeat(128) + "'");
    }

    @Test
    void refusesPathLongerThan4096Bytes() {
        String path = String.join("/", Collections.nCopies(17, "p".repeat(240))) + "q";

        assertRefused(path, "path longer than 4096 bytes");
    }

    @Test
    void quotesControlCharactersInRefusals() {
        assertRefused("a\n/../b", "'..' segment in 'a\\x0a/../b'");
    }

    // ---- refused on disk ------------------------------------------------------------------------------------

    @Test
    void refusesParentThatIsASymlinkOutsideTheRoot() throws Exception {
        Path outside = Files.createDirectories(fs.getPath("/etc"));
        Files.createSymbolicLink(root.resolve("link"), outside);

        assertRefusedOnDisk(root, "link/passwd", "'link/passwd' goes through symlink 'link'");
    }

    @Test
    void refusesDeeperParentThatIsASymlink() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/b"), fs.getPath("/"));

        assertRefusedOnDisk(root, "a/b/c/d.txt", "'a/b/c/d.txt' goes through symlink 'a/b'");
    }

    @Test
    void refusesParentSymlinkEvenWhenItPointsInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

        assertRefusedOnDisk(root, "alias/x", "'alias/x' goes through symlink 'alias'");
    }

    @Test
    void refusesDanglingSymlinkAsParent() throws Exception {
        Files.createSymbolicLink(root.resolve("dangling"), fs.getPath("/nowhere"));

        assertRefusedOnDisk(root, "dangling/x", "'dangling/x' goes through symlink 'dangling'");
    }

    @Test
    void refusesSymlinkOutsideTheRootOnARealDisk(@TempDir Path tmp) throws Exception {
        Path realRoot = Files.createDirectory(tmp.resolve("root")).toRealPath();
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(realRoot.resolve("escape"), outside);

        assertRefusedOnDisk(realRoot, "escape/x", "'escape/x' goes through symlink 'escape'");
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void refusesParentThatIsARegularFile() throws Exception {
        Files.writeString(root.resolve("f"), "data");

        assertRefusedOnDisk(root, "f/x", "'f/x' needs 'f' to be a directory, but it is a file");
    }

    @Test
    void refusesDeeperParentThatIsARegularFile() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/f"), "data");

        assertRefusedOnDisk(root, "a/f/b/x", "'a/f/b/x' needs 'a/f' to be a directory, but it is a file");
    }

    // ---- createParents -------------------------------------------------------------------------------------

    @Test
    void createParentsCreatesMissingDirectoriesButNotTheFile() throws Exception {
        Path target = SafePaths.resolve(root, "a/b/c.txt");

        SafePaths.createParents(root, target);

        assertThat(root.resolve("a/b")).isDirectory();
        assertThat(target).doesNotExist();
    }

    @Test
    void createParentsKeepsExistingDirectories() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/keep.txt"), "kept");
        Path target = SafePaths.resolve(root, "a/b/c.txt");

        SafePaths.createParents(root, target);

        assertThat(root.resolve("a/b")).isDirectory();
        assertThat(root.resolve("a/keep.txt")).hasContent("kept");
    }

    @Test
    void createParentsOfATopLevelFileDoesNothing() throws Exception {
        Path target = SafePaths.resolve(root, "top.txt");

        SafePaths.createParents(root, target);

        try (var entries = Files.list(root)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void createParentsRefusesSymlinkPlantedAfterResolve() throws Exception {
        Path target = SafePaths.resolve(root, "a/b/c.txt");
        Path outside = Files.createDirectories(fs.getPath("/outside"));
        Files.createSymbolicLink(root.resolve("a"), outside);

        assertThatThrownBy(() -> SafePaths.createParents(root, target))
                .isInstanceOf(BadPathException.class)
                .hasMessage("'a/b/c.txt' goes through symlink 'a'");
        assertThat(outside.resolve("b")).doesNotExist();
    }

    @Test
    void createParentsRefusesFilePlantedAfterResolve() throws Exception {
        Path target = SafePaths.resolve(root, "a/b/c.txt");
        Files.writeString(root.resolve("a"), "not a dir");

        assertThatThrownBy(() -> SafePaths.createParents(root, target))
                .isInstanceOf(BadPathException.class)
                .hasMessage("'a/b/c.txt' needs 'a' to be a directory, but it is a file");
    }

    // ---- printable ---------------------------------------------------------------------------------------------

    @Test
    void printableEscapesControlCharacters() {
        assertThat(SafePaths.printable("a\nb")).isEqualTo("a\\x0ab");
        assertThat(SafePaths.printable("\r\t\u001b[31m\u007f")).isEqualTo("\\x0d\\x09\\x1b[31m\\x7f");
    }

    @Test
    void printableKeepsOrdinaryAndUnicodeText() {
        assertThat(SafePaths.printable("names with spaces/ünïcödé.txt")).isEqualTo("names with spaces/ünïcödé.txt");
    }

    @Test
    void printableCutsLongStrings() {
        assertThat(SafePaths.printable("x".repeat(500))).isEqualTo("x".repeat(200) + "...");
        assertThat(SafePaths.printable("x".repeat(200))).isEqualTo("x".repeat(200));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void assertRefused(String relative, String message) {
        assertThatThrownBy(() -> SafePaths.segments(relative))
                .isInstanceOf(BadPathException.class)
                .hasMessage(message);
        assertRefusedOnDisk(root, relative, message);
    }

    private static void assertRefusedOnDisk(Path root, String relative, String message) {
        assertThatThrownBy(() -> SafePaths.resolve(root, relative))
                .isInstanceOf(BadPathException.class)
                .hasMessage(message);
    }

    private static Path createRoot(Path path) {
        try {
            Path created = Files.createDirectories(path);
            assertThat(Files.isSymbolicLink(created)).isFalse();
            assertThat(created.toRealPath(LinkOption.NOFOLLOW_LINKS)).isEqualTo(created);
            return created;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
