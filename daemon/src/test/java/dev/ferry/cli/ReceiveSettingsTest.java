package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.FolderAccess;
import dev.ferry.auth.KeyGen;
import dev.ferry.auth.PeerId;
import dev.ferry.auth.Proof;
import dev.ferry.auth.Token;
import dev.ferry.config.HostPort;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.testing.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReceiveCommand#settings}: a receive section's identity, allow lists and folders' own tokens reach the receiver. */
class ReceiveSettingsTest {
    static final byte[] NONCE_C = new byte[32];
    static final byte[] NONCE_S = new byte[32];

    @TempDir
    Path tmp;

    ReceiveConfig config(Optional<Path> identity, Map<String, List<PeerId>> allow) throws IOException {
        Path section = Secrets.write(tmp.resolve("token"), "section-token-0123456789\n");
        Path own = Secrets.write(tmp.resolve("music-token"), "music-token-0123456789\n");
        Map<String, Path> folders = Map.of("photos", Files.createDirectories(tmp.resolve("photos")),
                "music", Files.createDirectories(tmp.resolve("music")));
        return ReceiveConfig.defaults(new HostPort("127.0.0.1", 0), section, folders)
                .withAccess(identity, allow, Map.of("music", own));
    }

    static boolean opens(FolderAccess access, String folder, String secret) {
        Token token = Token.of(secret);
        return access.token().isPresent() && Proof.verify(access.token().get(), NONCE_C, NONCE_S, folder,
                Proof.compute(token, NONCE_C, NONCE_S, folder));
    }

    @Test
    void aFoldersOwnTokenReplacesTheSectionsInPlaintextToo() throws IOException {
        ReceiverSettings settings = ReceiveCommand.settings(config(Optional.empty(), Map.of()));

        assertThat(settings.identity()).isEmpty();
        assertThat(opens(settings.accessTo("music"), "music", "music-token-0123456789")).isTrue();
        assertThat(opens(settings.accessTo("music"), "music", "section-token-0123456789")).isFalse();
        assertThat(opens(settings.accessTo("photos"), "photos", "section-token-0123456789")).isTrue();
    }

    @Test
    void anIdentityAndAllowListsReachTheReceiver() throws IOException {
        PeerId sender = KeyGen.generate(tmp.resolve("sender"), Instant.now()).id();
        PeerId me = KeyGen.generate(tmp.resolve("me"), Instant.now()).id();

        ReceiverSettings settings = ReceiveCommand.settings(config(Optional.of(tmp.resolve("me")),
                Map.of("photos", List.of(sender))));

        assertThat(settings.identity().orElseThrow().id()).isEqualTo(me);
        assertThat(settings.accessTo("photos").admits(sender, false)).isTrue();
        assertThat(settings.accessTo("music").admits(sender, false)).isFalse();
        assertThat(opens(settings.accessTo("music"), "music", "music-token-0123456789")).isTrue();
    }
}
