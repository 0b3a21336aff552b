package dev.ferry.cli;

import dev.ferry.auth.Identity;
import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** {@code ferry check-config FILE}: load and validate; exit 0 and a summary, or exit 2 and the one error. */
final class CheckConfigCommand implements Verb {
    @Override
    public String name() {
        return "check-config";
    }

    @Override
    public String summary() {
        return "validate a YAML config file";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry check-config FILE
                Validate a YAML config file: exit 0 with a summary, or exit 2 with the first error (file:line: key: problem).
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of();
    }

    @Override
    public int run(Args args) {
        Path file = Path.of(args.expectPositionals(name(), "FILE").getFirst());
        FerryConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.println(file + ": ok");
        System.out.println("  state-dir: " + config.stateDir());
        Optional<Path> identity = config.receive().flatMap(ReceiveConfig::identity)
                .or(() -> config.sync().stream().findFirst().flatMap(SyncConfig::identity));
        System.out.println(identity.map(dir -> "  transport: tls, identity " + dir + " (ID " + idOf(dir) + ")")
                .orElse("  transport: plaintext (not encrypted)"));
        config.receive().ifPresent(r -> System.out.println("  receive: listen " + r.listen() + ", folders " + r.folders().keySet()
                + ", durability " + r.durability()));
        config.sync().forEach(s -> System.out.println("  sync: " + s.source() + " -> " + s.targets()));
        config.metrics().ifPresent(m -> System.out.println("  metrics: http://" + m + "/metrics"));
        return ExitCode.OK;
    }

    /** (The loader checked the identity already.) */
    private static String idOf(Path dir) {
        try {
            return Identity.load(dir).id().toString();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
