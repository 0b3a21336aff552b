package dev.ferry.config;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An in-memory Unix file system for loader tests, holding a valid token at {@value #TOKEN} and a receive
 * folder at {@value #PHOTOS}. Configs are written to {@value #CONFIG} unless a test says otherwise. A config that
 * says nothing of {@code identity} or {@code transport} gets {@code transport: plaintext} as its last line (the
 * token mode these tests were written in; a line after the rest, so the lines they point at stay where they are).
 */
final class JimfsConfig implements AutoCloseable {
    static final String CONFIG = "/etc/ferry/ferry.yaml";
    static final String TOKEN = "/etc/ferry/token";
    static final String PHOTOS = "/srv/ferry/photos";
    static final Environment ENV = new Environment("", "", "/home/alice");

    /** With POSIX permissions: an identity's key must be owner-only. */
    final FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setAttributeViews("basic", "owner", "posix", "unix").build());

    JimfsConfig() {
        token(TOKEN);
        directory(PHOTOS);
    }

    Path path(String path) {
        return fs.getPath(path);
    }

    Path directory(String path) {
        try {
            return Files.createDirectories(fs.getPath(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token file, mode 600 as ferry wants it (this file system keeps POSIX permissions). */
    Path token(String path) {
        Path file = file(path, "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0Cg==\n");
        try {
            return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} to {@code path}; a {@code .yaml} file is a config, in plaintext mode unless it says. */
    Path file(String path, String content) {
        return write(path, path.endsWith(".yaml") ? plaintext(content) : content);
    }

    private Path write(String path, String content) {
        try {
            Path file = fs.getPath(path);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FerryConfig load(String yaml) throws ConfigException {
        return ConfigLoader.load(file(CONFIG, yaml), ENV);
    }

    /** As {@link #error}, for a file that is not a config at all (a YAML syntax error): written as it is. */
    String errorAsWritten(String yaml) {
        try {
            FerryConfig config = ConfigLoader.load(write(CONFIG, yaml), ENV);
            throw new AssertionError("expected a ConfigException, loaded " + config);
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    static String plaintext(String yaml) {
        boolean config = yaml.startsWith("receive:") || yaml.startsWith("sync:") || yaml.contains("\nreceive:")
                || yaml.contains("\nsync:");
        if (!config || yaml.contains("identity:") || yaml.contains("transport:")) {
            return yaml;
        }
        return yaml + (yaml.isEmpty() || yaml.endsWith("\n") ? "" : "\n") + "transport: plaintext\n";
    }

    /** The message of the ConfigException that loading {@code yaml} must throw. */
    String error(String yaml) {
        try {
            FerryConfig config = load(yaml);
            throw new AssertionError("expected a ConfigException, loaded " + config);
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() throws IOException {
        fs.close();
    }
}
