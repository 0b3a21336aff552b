package dev.ferry.cli;

import dev.ferry.auth.Identity;
import java.io.IOException;
import java.nio.file.Path;

/** Loads an identity folder named on the command line or in the config; a bad one is a usage error (exit 2). */
final class IdentityOption {
    private IdentityOption() {
    }

    static Identity load(Path dir) {
        try {
            return Identity.load(dir);
        } catch (IOException e) {
            throw new UsageException("--identity " + dir + ": " + e.getMessage());
        }
    }
}
