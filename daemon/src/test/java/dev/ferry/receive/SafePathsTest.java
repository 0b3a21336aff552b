package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The name rules a peer's path must pass before any disk call (where the path leads on disk is the kernel's check:
 * see {@link HostilePathsTest} and {@code BeneathTest}).
 */
class SafePathsTest {

    // ---- accepted -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", "names with spaces/ünïcödé.txt", ".hidden", "a/.ferry/x", ".ferryx/y",
            "...", "a/..b/c..", "back\\slash"})
    void acceptsOrdinaryRelativePaths(String relative) throws Exception {
        assertThat(String.join("/", SafePaths.segments(relative))).isEqualTo(relative);
    }

    @Test
    void segmentsAreTheSlashSeparatedParts() throws Exception {
        assertThat(SafePaths.segments("names with spaces/ünïcödé.txt")).containsExactly("names with spaces", "ünïcödé.txt");
    }

    @Test
    void acceptsSegmentOfExactly255Bytes() throws Exception {
        String segment = "s".repeat(255);

        assertThat(SafePaths.segments("a/" + segment)).containsExactly("a", segment);
    }

    @Test
    void acceptsPathOfExactly4096Bytes() throws Exception {
        // 17 segments of 240 bytes + 16 slashes = 4096
        String path = String.join("/", Collections.nCopies(17, "p".repeat(240)));
        assertThat(path.length()).isEqualTo(4096);

        assertThat(SafePaths.segments(path)).hasSize(17);
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
    void refusesControlCharactersAndQuotesThem() {
        assertRefused("a\n/../b", "path contains a control character: 'a\\x0a/../b'");
        assertRefused("line\nbreak.txt", "path contains a control character: 'line\\x0abreak.txt'");
        assertRefused("cr\r.txt", "path contains a control character: 'cr\\x0d.txt'");
        assertRefused("esc\u001b[31m", "path contains a control character: 'esc\\x1b[31m'");
        assertRefused("del\u007f", "path contains a control character: 'del\\x7f'");
        assertRefused("tab\tx", "path contains a control character: 'tab\\x09x'");
    }

    @Test
    void refusesAbsolutePathWithManySlashes() {
        assertRefused("//etc/passwd", "absolute path '//etc/passwd'");
    }

    @Test
    void parentOfAPathIsItsLeadingSegments() {
        assertThat(SafePaths.parent("a/b/c")).isEqualTo("a/b");
        assertThat(SafePaths.parent("top")).isEmpty();
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

    private static void assertRefused(String relative, String message) {
        assertThatThrownBy(() -> SafePaths.segments(relative))
                .isInstanceOf(BadPathException.class)
                .hasMessage(message);
    }
}
