package dev.ferry.config;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An in-memory Unix file system for loader tests, holding a valid token at {@value #TOKEN} and a receive
 * folder at {@value #PHOTOS}. Configs are written to {@value #CONFIG} unless a test says otherwise.
 */
final class JimfsConfig implements AutoCloseable {
    static final String CONFIG = "/etc/ferry/ferry.yaml";
    static final String TOKEN = "/etc/ferry/token";
    static final String PHOTOS = "/srv/ferry/photos";
    static final Environment ENV = new Environment("", "", "/home/alice");

    final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

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

    Path token(String path) {
        return file(path, "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0Cg==\n");
    }

    Path file(String path, String content) {
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
