package dev.ferry.cli;

import dev.ferry.auth.Token;
import java.io.IOException;
import java.nio.file.Path;

/** Loads a token file named on the command line; a bad file is a usage error (exit 2). */
final class TokenOption {
    private TokenOption() {
    }

    static Token load(Path file) {
        try {
            return Token.read(file);
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
