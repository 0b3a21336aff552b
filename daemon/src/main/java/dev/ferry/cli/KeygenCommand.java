package dev.ferry.cli;

import dev.ferry.auth.Identity;
import dev.ferry.auth.KeyGen;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/** {@code ferry keygen DIR}: a new identity for this host; its ID is the last line printed. */
final class KeygenCommand implements Verb {
    @Override
    public String name() {
        return "keygen";
    }

    @Override
    public String summary() {
        return "make this host's identity (key and certificate) and print its ID";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry keygen DIR
                Make a new identity in DIR (created with mode 700): a private key (key.pem, mode 600) and a
                self-signed certificate (cert.pem). Prints the host's ID as the last line: give it to the peers that
                must recognise this host. An existing identity is never overwritten (exit 1).
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of();
    }

    @Override
    public int run(Args args) throws IOException {
        Path dir = Path.of(args.expectPositionals(name(), "DIR").getFirst());
        Identity made;
        try {
            made = KeyGen.generate(dir, Instant.now());
        } catch (FileAlreadyExistsException e) {
            System.err.println("ferry: " + e.getFile() + " " + e.getReason());
            return ExitCode.FAILED;
        }
        System.out.println("identity written to " + dir.toAbsolutePath() + " (" + Identity.KEY_FILE + ", "
                + Identity.CERT_FILE + "); this host's ID:");
        System.out.println(made.id());
        return ExitCode.OK;
    }
}
