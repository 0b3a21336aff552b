package dev.ferry.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one WARN a command run without an identity gives at start: what goes in the clear. */
final class Plaintext {
    private static final Logger log = LoggerFactory.getLogger(Plaintext.class);

    private Plaintext() {
    }

    /** @param direction e.g. {@code "to nas:7878"}, {@code "to/from the receiver on 0.0.0.0:7878"} */
    static void warn(String direction) {
        log.warn("traffic {} is not encrypted (transport: plaintext); for TLS give each host an identity (ferry keygen"
                + " DIR) and pin the receiver's ID", direction);
    }
}
