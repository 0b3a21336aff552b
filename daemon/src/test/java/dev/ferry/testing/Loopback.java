package dev.ferry.testing;

import dev.ferry.auth.SenderPin;
import dev.ferry.auth.Token;
import dev.ferry.config.Durability;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import dev.ferry.push.PushSettings;
import dev.ferry.receive.ReceiverSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/** Receivers for tests: on 127.0.0.1, on a port the system picks; and pushes to them. */
public final class Loopback {
    private Loopback() {
    }

    /** Default receiver settings for {@code folders}, listening on 127.0.0.1:0; tests add their {@code with...}. */
    public static ReceiverSettings receiverSettings(Token token, Map<String, Path> folders) {
        return receiverSettings(token, folders, 0);
    }

    /** The same on a given port; the defaults are the config's, as {@code ferry receive} would use them. */
    public static ReceiverSettings receiverSettings(Token token, Map<String, Path> folders, int port) {
        return ReceiverSettings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), token, folders,
                ReceiveConfig.DEFAULT_MAX_CONNECTIONS, ReceiveConfig.DEFAULT_READ_TIMEOUT,
                ReceiveConfig.DEFAULT_DURABILITY == Durability.FSYNC, ReceiveConfig.DEFAULT_MAX_FILE_SIZE,
                ReceiveConfig.DEFAULT_TRASH, ReceiveConfig.DEFAULT_PARTIAL_MAX_AGE);
    }

    /** Default push settings to 127.0.0.1:{@code port}; the defaults are the config's, as {@code ferry push} would use them. */
    public static PushSettings pushSettings(int port, String folder, Token token) {
        return PushSettings.of(InetAddress.getLoopbackAddress().getHostAddress(), port, folder, token,
                SyncConfig.DEFAULT_CHUNK_SIZE, SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_CHUNK_ATTEMPTS,
                SyncConfig.DEFAULT_KEEP_ALIVE);
    }

    /** The same over TLS with {@code pin}; {@code token} may be null (identity mode without a token). */
    public static PushSettings pushSettings(int port, String folder, Token token, SenderPin pin) {
        return PushSettings.of(InetAddress.getLoopbackAddress().getHostAddress(), port, folder, token, pin,
                SyncConfig.DEFAULT_CHUNK_SIZE, SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_CHUNK_ATTEMPTS,
                SyncConfig.DEFAULT_KEEP_ALIVE);
    }
}
