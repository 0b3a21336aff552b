package dev.ferry.cli;

import dev.ferry.auth.Identity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** {@code ferry id DIR}: prints the ID of the identity in DIR, alone on its line. */
final class IdCommand implements Verb {
    @Override
    public String name() {
        return "id";
    }

    @Override
    public String summary() {
        return "print the ID of an identity made by ferry keygen";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry id DIR
                Print the ID of the identity in DIR (made by ferry keygen), alone on one line.
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of();
    }

    @Override
    public int run(Args args) throws IOException {
        Path dir = Path.of(args.expectPositionals(name(), "DIR").getFirst());
        System.out.println(Identity.load(dir).id());
        return ExitCode.OK;
    }
}
