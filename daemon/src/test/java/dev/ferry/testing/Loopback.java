package dev.ferry.testing;

import dev.ferry.auth.Token;
import dev.ferry.receive.ReceiverSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/** Receivers for tests: on 127.0.0.1, on a port the system picks. */
public final class Loopback {
    private Loopback() {
    }

    /** Default receiver settings for {@code folders}, listening on 127.0.0.1:0; tests add their {@code with...}. */
    public static ReceiverSettings receiverSettings(Token token, Map<String, Path> folders) {
        return ReceiverSettings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), token, folders);
    }
}
