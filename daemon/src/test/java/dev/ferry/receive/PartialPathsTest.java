package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.disk.Beneath;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One naming of partial files and sidecars, used by whoever creates, finds or removes them. */
class PartialPathsTest {
    @TempDir
    Path root;
    private Beneath folder;

    @BeforeEach
    void open() throws IOException {
        folder = Beneath.open(root);
    }

    @AfterEach
    void close() {
        folder.close();
    }

    @Test
    void aPartialFileAndItsSidecarShareTheirNameInThePartialFolder() {
        PartialPaths p = PartialPaths.of(folder, "a/b.bin");

        assertThat(p.dataPath().getParent()).isEqualTo(root.resolve(".ferry/partial"));
        assertThat(p.data()).matches("\\.ferry/partial/[0-9a-f]{32}\\.part");
        assertThat(p.sidecar()).isEqualTo(p.data().replace(".part", ".side"));
        assertThat(PartialPaths.ofData(folder, p.dataPath().getFileName().toString())).isEqualTo(p);
        assertThat(PartialPaths.ofSidecar(folder, p.sidecarPath().getFileName().toString())).isEqualTo(p);
        assertThat(PartialPaths.of(folder, "a/b.bin")).as("the same path finds the same names again").isEqualTo(p);
        assertThat(PartialPaths.of(folder, "a/c.bin")).isNotEqualTo(p);
    }

    @Test
    void aPartialWithoutASidecarRemovesAnEarlierVersionsSidecar() throws IOException {
        PartialPaths p = PartialPaths.of(folder, "a/b.bin");
        PartialSidecar.Version earlier = new PartialSidecar.Version("a/b.bin", 4096, 1, 0, 1024, HashAlgorithm.XXH3_128);
        PartialFile.fresh(p, true, earlier, false).close(); // an interrupted resumable attempt left both

        PartialFile now = PartialFile.fresh(p, false, null, false);

        assertThat(p.sidecarPath()).doesNotExist();
        now.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
        now.discard();
        assertThat(p.dataPath()).doesNotExist();
    }

    @Test
    void aRemovedResumablePartialLeavesNoSidecarBehind() throws IOException {
        PartialPaths p = PartialPaths.of(folder, "x.bin");
        PartialSidecar.Version v = new PartialSidecar.Version("x.bin", 4096, 1, 0, 1024, HashAlgorithm.XXH3_128);
        PartialFile f = PartialFile.fresh(p, true, v, false);
        assertThat(p.sidecarPath()).exists();

        f.discard();

        assertThat(p.dataPath()).doesNotExist();
        assertThat(p.sidecarPath()).doesNotExist();
    }
}
