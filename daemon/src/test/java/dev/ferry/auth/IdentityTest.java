package dev.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identities: made by keygen, loaded again, named by their ID; secrets kept to their owner. */
class IdentityTest {
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path tmp;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void keygenMakesAnOwnerOnlyFolderAndLoadingItGivesTheSameId() throws IOException {
        Path dir = tmp.resolve("id");
        Identity made = KeyGen.generate(dir, NOW);

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("key.pem"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("cert.pem"))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        Identity loaded = Identity.load(dir);
        assertThat(loaded.id()).isEqualTo(made.id());
        assertThat(loaded.id().text()).matches("([A-Z2-7]{4}-){7}[A-Z2-7]{4}");
        assertThat(loaded.certificate().getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-12-05T10:00:00Z"));
        assertThat(loaded.toString()).isEqualTo("Identity[" + made.id() + "]");
        assertThat(KeyGen.generate(tmp.resolve("other"), NOW).id()).as("a new key, a new ID").isNotEqualTo(made.id());
    }

    @Test
    void keygenNeverOverwritesAnIdentity() throws IOException {
        Path dir = tmp.resolve("id");
        PeerId first = KeyGen.generate(dir, NOW).id();
        assertThatThrownBy(() -> KeyGen.generate(dir, NOW)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("already holds an identity");
        assertThat(Identity.load(dir).id()).isEqualTo(first);
    }

    @Test
    void aKeyOthersCanReadIsRefusedWithTheChmodToRun() throws IOException {
        Path dir = tmp.resolve("id");
        KeyGen.generate(dir, NOW);
        Path key = dir.resolve("key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Identity.load(dir)).isInstanceOf(IOException.class)
                .hasMessage("private key " + key + " can be read by others (mode rw-r--r--): run chmod 600 " + key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> Identity.load(dir)).hasMessageContaining("run chmod 600");
    }

    @Test
    void aMissingOrMismatchedKeyIsNamed() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        KeyGen.generate(a, NOW);
        KeyGen.generate(b, NOW);
        assertThatThrownBy(() -> Identity.load(tmp.resolve("none"))).hasMessage("identity " + tmp.resolve("none")
                + " has no key.pem (make one with ferry keygen " + tmp.resolve("none") + ")");
        Files.copy(b.resolve("key.pem"), a.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(a.resolve("key.pem"), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> Identity.load(a)).hasMessage(a.resolve("key.pem") + " is not the private key of "
                + a.resolve("cert.pem"));
        Files.writeString(a.resolve("key.pem"), "garbage");
        assertThatThrownBy(() -> Identity.load(a)).hasMessage(a.resolve("key.pem")
                + " is not a PEM PKCS#8 private key for " + a.resolve("cert.pem"));
    }

    @Test
    void idsParseWhateverTheCaseAndDashes() throws IOException {
        PeerId id = KeyGen.generate(tmp.resolve("id"), NOW).id();
        assertThat(PeerId.parse(id.text().toLowerCase())).isEqualTo(id);
        assertThat(PeerId.parse(id.text().replace("-", ""))).isEqualTo(id);
        assertThatThrownBy(() -> PeerId.parse("ABCD")).hasMessage(
                "'ABCD' is not a ferry ID: it must have 32 letters and digits (A-Z, 2-7), in groups of 4 (ferry id DIR"
                        + " prints one)");
        assertThatThrownBy(() -> PeerId.parse("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4561")).hasMessage(
                "'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4561' is not a ferry ID: '1' is not one of A-Z, 2-7");
    }

    @Test
    void theIdIsTheFirst160BitsOfTheKeysSha256InBase32() throws Exception {
        // a known vector: the SHA-256 of a fixed "key" encoding, cut to 160 bits, in RFC 4648 base32
        java.security.PublicKey fixed = new java.security.PublicKey() {
            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return "X.509";
            }

            @Override
            public byte[] getEncoded() {
                return "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
        };
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 ...; base32 of its first 20 bytes:
        assertThat(PeerId.of(fixed).text()).isEqualTo("XJ4B-NP4P-AHH6-UQKB-IDPF-3LRC-EOYA-GYND");
    }
}
