package dev.ferry.config;

import java.nio.file.Path;

/**
 * A config file that cannot be used. The message reads {@code <file>:<line>: <key>: <problem and fix>}; the
 * line part is left out when the line is unknown (0), the key part when the problem is not about one key
 * (a YAML syntax error, an empty file). The CLI prints the message and exits with status 2.
 */
public final class ConfigException extends Exception {
    private final transient Path file;
    private final int line;
    private final String key;
    private final String problem;

    ConfigException(Path file, int line, String key, String problem) {
        super(format(file, line, key, problem));
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    /** The same problem, at {@code newKey} on the same line. */
    ConfigException withKey(String newKey) {
        return new ConfigException(file, line, newKey, problem);
    }

    /** The config file, as it was passed to {@link ConfigLoader#load}. */
    public Path file() {
        return file;
    }

    /** 1-based line of the offending key or value, 0 if unknown. */
    public int line() {
        return line;
    }

    /** Dotted key path such as {@code receive.folders.photos.path} or {@code sync[0].targets[1]}; "" if none. */
    public String key() {
        return key;
    }

    /** The message without file, line and key: what is wrong and how to fix it. */
    public String problem() {
        return problem;
    }

    private static String format(Path file, int line, String key, String problem) {
        StringBuilder text = new StringBuilder().append(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!key.isEmpty()) {
            text.append(key).append(": ");
        }
        return text.append(problem).toString();
    }
}
