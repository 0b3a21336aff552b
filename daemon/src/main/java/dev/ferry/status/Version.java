package dev.ferry.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * ferry's version: the pom's, which Maven writes into the resource {@code version.txt} beside this class. It is there
 * in the jar and in {@code target/classes} alike (a jar manifest is not, and tests run from the classes);
 * {@code packaging/build-deb} names the package after it. "dev" only if the resource is missing.
 */
public final class Version {
    private static final String NUMBER = read();

    private Version() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}. */
    public static String number() {
        return NUMBER;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.txt")) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            // unreadable resource in our own jar: say "dev" rather than fail
        }
        return "dev";
    }
}
