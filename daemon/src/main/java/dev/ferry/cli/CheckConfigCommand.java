package dev.ferry.cli;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ferry check-config FILE}: load and validate; exit 0 and a summary, or exit 2 and the one error. */
@Command(name = "check-config", mixinStandardHelpOptions = true, description = "Validate a YAML config file.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        FerryConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new Main.UsageException(e.getMessage());
        }
        System.out.println(file + ": ok");
        System.out.println("  state-dir: " + config.stateDir());
        config.receive().ifPresent(r -> System.out.println("  receive: listen " + r.listen() + ", folders " + r.folders().keySet()
                + ", durability " + r.durability()));
        config.sync().forEach(s -> System.out.println("  sync: " + s.source() + " -> " + s.targets()));
        return Main.OK;
    }
}
