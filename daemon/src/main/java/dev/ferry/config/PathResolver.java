package dev.ferry.config;

import dev.ferry.auth.Token;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns path values into absolute paths in the config file's file system, and checks the ones that must
 * already exist. Relative paths resolve against the config file's folder; {@code ~} and {@code ~/...} against
 * the home directory.
 */
record PathResolver(Path baseDir, Path home) {

    Path path(Field field) throws ConfigException {
        String text = field.text();
        try {
            Path path = text.equals("~") || text.startsWith("~/")
                    ? home.resolve(text.substring(Math.min(2, text.length())))
                    : baseDir.resolve(text);
            return path.normalize();
        } catch (InvalidPathException e) {
            throw field.error("\"" + text + "\" is not a valid path: " + e.getReason());
        }
    }

    /** An existing directory. */
    Path directory(Field field) throws ConfigException {
        Path dir = path(field);
        if (!Files.isDirectory(dir)) {
            throw field.error(dir + (Files.exists(dir)
                    ? " is not a directory; point it at a directory"
                    : " does not exist; create the directory or correct the path") + relativeNote(field));
        }
        return dir;
    }

    /** A token file that {@link Token#read} accepts; its message says what is wrong, we add how to fix it. */
    Path tokenFile(Field field) throws ConfigException {
        Path file = path(field);
        try {
            Token.read(file);
            return file;
        } catch (IOException e) {
            String fix;
            if (!Files.exists(file)) {
                fix = "; create one with: head -c 32 /dev/urandom | base64 > " + file + " && chmod 600 " + file;
            } else if (Files.isDirectory(file)) {
                fix = "; point token-file at a file, not a directory";
            } else if (!Files.isReadable(file)) {
                fix = "; make it readable by the user that runs ferry";
            } else {
                fix = "";
            }
            throw field.error(e.getMessage() + fix + relativeNote(field));
        }
    }

    private String relativeNote(Field field) throws ConfigException {
        String text = field.text();
        boolean relative = !text.startsWith("~") && !baseDir.getFileSystem().getPath(text).isAbsolute();
        return relative ? " (relative paths resolve against " + baseDir + ")" : "";
    }
}
