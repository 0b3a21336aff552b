package dev.ferry.push;

import dev.ferry.path.RelativePath;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists what a push sends, with rsync's trailing-slash rule: {@code dir} sends the directory itself (it appears as
 * {@code SUBDIR/dir}), {@code dir/} sends its contents (into {@code SUBDIR}), a file is sent into {@code SUBDIR}.
 * Files come first, in walk order; directories follow deepest first, so that their mtime is set after their
 * contents are written. Symlinks and special files are skipped with a log line (symlinks come with the daemon).
 */
final class SourceWalker {
    private static final Logger log = LoggerFactory.getLogger(SourceWalker.class);

    private SourceWalker() {
    }

    static PushPlan walk(Path source, boolean contentsOnly, String subdir) throws IOException {
        BasicFileAttributes top = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        List<SourceEntry> files = new ArrayList<>();
        List<SourceEntry> dirs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String name = contentsOnly && top.isDirectory() ? "" : source.getFileName().toString();
        String base = RelativePath.join(subdir, name);
        if (!top.isDirectory()) {
            if (!top.isRegularFile()) {
                throw new IOException(source + " is not a regular file or directory");
            }
            files.add(SourceEntry.stat(source, base, false));
            return new PushPlan(List.of(), files, dirs, Map.of(), skipped);
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String remote = RelativePath.join(base, RelativePath.between(source, file).text());
                if (attrs.isRegularFile()) {
                    files.add(SourceEntry.stat(file, remote, false));
                } else {
                    String what = attrs.isSymbolicLink() ? "symlink" : "special file";
                    log.debug("skipping {} {}", what, file); // (the push reports each skipped file itself)
                    skipped.add(remote + " (" + what + ")");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                String remote = RelativePath.join(base, RelativePath.between(source, dir).text());
                if (!remote.isEmpty()) {
                    dirs.add(SourceEntry.stat(dir, remote, true));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new PushPlan(List.of(), files, dirs, Map.of(), skipped);
    }
}
