package dev.ferry.daemon;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A fingerprint (SHA-256) of each token file a config names, taken when its parts start, so that a reload can tell a
 * rotated token (same file, new contents: the parts that use it restart) from an unchanged one. Only the digests are
 * kept, never the secrets. A file that cannot be read has the print {@code unreadable}.
 *
 * <p>An immutable value, made and compared on the thread that starts or reloads the daemon.
 */
record TokenPrints(Map<Path, String> prints) {
    TokenPrints {
        prints = Map.copyOf(prints);
    }

    static TokenPrints of(FerryConfig config) {
        Map<Path, String> prints = new LinkedHashMap<>();
        config.receive().map(ReceiveConfig::tokenFile).ifPresent(f -> prints.put(f, print(f))); // (null: none)
        config.receive().ifPresent(rc -> rc.folderTokens().values().forEach(f -> prints.computeIfAbsent(f,
                TokenPrints::print)));
        for (SyncConfig sc : config.sync()) {
            if (sc.tokenFile() != null) {
                prints.computeIfAbsent(sc.tokenFile(), TokenPrints::print);
            }
        }
        return new TokenPrints(prints);
    }

    /** The token files both name whose contents differ now; a file only one of them names is the config's change. */
    Set<Path> rotatedIn(TokenPrints now) {
        Set<Path> rotated = new HashSet<>();
        prints.forEach((file, print) -> {
            String other = now.prints.get(file);
            if (other != null && !other.equals(print)) {
                rotated.add(file);
            }
        });
        return rotated;
    }

    private static String print(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "unreadable"; // (a digest is hex: this matches no readable file)
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
