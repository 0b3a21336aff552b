package dev.ferry.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/STATUS.md lists every key of the JSON, in the order the records (and so the JSON) have them, and no other. */
class StatusDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\|");
    private static final List<Class<? extends Record>> RECORDS = List.of(DaemonStatus.class, PairStatus.class,
            TargetStatus.class, TargetStatus.InFlight.class, TargetStatus.ParkedFile.class, SenderCounters.class,
            ReceiverStatus.class, ReceiverStatus.Peer.class, ReceiverStatus.Transfer.class, ReceiverCounters.class,
            LatencyHistogram.class);

    @Test
    void everyRecordHasASectionListingItsKeysInOrder() throws IOException {
        Map<String, List<String>> documented = sections(Files.readAllLines(repoRoot().resolve("docs/STATUS.md")));
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (Class<? extends Record> r : RECORDS) {
            declared.put(r.getSimpleName(), Arrays.stream(r.getRecordComponents()).map(RecordComponent::getName).toList());
        }
        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void theJsonHasTheKeysInThatOrder() throws IOException {
        String json = StatusJson.write(SampleStatus.daemon());
        assertThat(json).startsWith("{\"version\":").contains("\"receiver\":{\"listen\":", "\"transferLatency\":{\"upperBounds\":");
        assertThat(StatusJson.pretty(json)).contains("\"partialsKept\" : 2,");
    }

    private static Map<String, List<String>> sections(List<String> lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("### ")) {
                current = new ArrayList<>();
                sections.put(line.substring(4).replace(" (the top level)", ""), current);
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (current != null && m.find()) {
                current.add(m.group(1));
            }
        }
        return sections;
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("daemon"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/ next to daemon/ above " + Path.of("").toAbsolutePath());
    }
}
