package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.Durability;
import dev.ferry.testing.Exec;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/ferry.1 and bin/ferry-completion.bash against what the code declares ({@link Main#VERBS}, each verb's
 * {@link Verb#options()} and {@link Verb#flags()}): every command and option, and none that the code does not
 * have, so neither can drift. The completion is run in a real bash; the man page rendered by a real groff.
 */
class ManPageAndCompletionTest {
    private static final Path ROOT = repoRoot();
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[a-z][a-z-]*");

    @Test
    void manPageHasASectionPerCommandListingExactlyItsOptions() throws IOException {
        Map<String, Set<String>> documented = manPageOptions(Files.readAllLines(ROOT.resolve("docs/ferry.1")));
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (Verb v : Main.VERBS) {
            declared.put(v.name(), declared(v));
        }
        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void manPageRendersWithoutWarningsAndCoversSignalsExitCodesAndFiles() throws IOException {
        Path page = ROOT.resolve("docs/ferry.1");
        assertThat(Path.of("/usr/bin/groff")).as("groff, to render the man page").isExecutable();
        Exec.Result r = Exec.run(Duration.ofSeconds(30), List.of("/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page.toString()));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).as("groff warnings").isEmpty();
        List<String> sections = Files.readAllLines(page).stream().filter(l -> l.startsWith(".SH ")).map(l -> l.substring(4)).toList();
        assertThat(sections).containsExactly("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "CONFIGURATION", "SIGNALS",
                "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO");
        String text = Files.readString(page);
        for (String code : List.of(".B 0\n", ".B 1\n", ".B 2\n")) {
            assertThat(text).contains(".TP\n" + code);
        }
        for (Verb v : Main.VERBS) {
            assertThat(text).as("SYNOPSIS of " + v.name()).contains(".B ferry " + v.name().replace("-", "\\-") + "\n");
        }
    }

    @Test
    void bashCompletesEveryCommandAndEachCommandsOptionsAndNothingElse() throws IOException {
        StringBuilder script = new StringBuilder("source " + ROOT.resolve("bin/ferry-completion.bash") + "\n");
        script.append("COMP_WORDS=(ferry ''); COMP_CWORD=1; _ferry; echo \"top:${COMPREPLY[*]}\"\n");
        script.append("COMP_WORDS=(ferry help ''); COMP_CWORD=2; _ferry; echo \"help:${COMPREPLY[*]}\"\n");
        for (Verb v : Main.VERBS) {
            script.append("COMP_WORDS=(ferry ").append(v.name()).append(" -); COMP_CWORD=2; _ferry; echo \"")
                    .append(v.name()).append(":${COMPREPLY[*]}\"\n");
        }
        script.append("COMP_WORDS=(ferry push --hash ''); COMP_CWORD=3; _ferry; echo \"hash:${COMPREPLY[*]}\"\n");
        script.append("COMP_WORDS=(ferry receive --durability ''); COMP_CWORD=3; _ferry; echo \"durability:${COMPREPLY[*]}\"\n");
        Exec.Result r = Exec.run(Duration.ofSeconds(30), List.of("/bin/bash", "--norc", "-c", script.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, Set<String>> got = new LinkedHashMap<>();
        for (String line : r.output().lines().toList()) {
            int colon = line.indexOf(':');
            got.put(line.substring(0, colon), words(line.substring(colon + 1)));
        }
        Set<String> verbs = Main.VERBS.stream().map(Verb::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(got.get("help")).isEqualTo(verbs);
        Set<String> top = new TreeSet<>(verbs);
        top.addAll(List.of("help", "--help", "--version"));
        assertThat(got.get("top")).isEqualTo(top);
        for (Verb v : Main.VERBS) {
            Set<String> expected = new TreeSet<>(declared(v));
            expected.add("--help");
            assertThat(got.get(v.name())).as(v.name()).isEqualTo(expected);
        }
        assertThat(got.get("hash")).isEqualTo(Arrays.stream(HashAlgorithm.values()).map(HashAlgorithm::displayName)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertThat(got.get("durability")).isEqualTo(Arrays.stream(Durability.values()).map(Durability::toString)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static Set<String> declared(Verb v) {
        Set<String> all = new TreeSet<>(v.options());
        all.addAll(v.flags());
        return all;
    }

    private static Set<String> words(String s) {
        return Stream.of(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Per {@code .SS "ferry VERB"} section of COMMANDS, the options its {@code .TP} items name. */
    static Map<String, Set<String>> manPageOptions(List<String> lines) {
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        Set<String> current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(".SH ")) {
                current = null;
            } else if (line.startsWith(".SS \"ferry ")) {
                current = new TreeSet<>();
                sections.put(line.substring(".SS \"ferry ".length(), line.length() - 1).replace("\\-", "-"), current);
            } else if (current != null && line.equals(".TP") && i + 1 < lines.size()) {
                Matcher m = OPTION.matcher(lines.get(i + 1).replace("\\-", "-"));
                Set<String> item = new HashSet<>();
                while (m.find()) {
                    item.add(m.group());
                }
                assertThat(item).as("the options of the item at line " + (i + 2)).isNotEmpty();
                current.addAll(item);
            }
        }
        return sections;
    }

    /** The repository's root, found by walking up from the working directory (daemon/ under Maven). */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("daemon"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("no docs/ next to daemon/ above " + Path.of("").toAbsolutePath()));
    }
}
