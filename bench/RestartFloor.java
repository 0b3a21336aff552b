// bench/RestartFloor.java - the floor of issue 15's restart benchmark (f) (startup_bench.sh): the least a JVM
// program does to restart a watching sync daemon on a tree it already knows is in sync: put an inotify watch (the
// JDK's WatchService) on every directory, each before the directory is listed, so that no change goes unseen; lstat
// every entry; compare each with a list saved by its last run (path, size, mtime); say how many changed. Not a sync
// tool: no target, no index of hashes, no journal, no connection. Whatever ferry's restart costs beyond this is
// ferry's own work.
//
//   java -cp DIR RestartFloor save SRC LIST    walks SRC and writes LIST (untimed, once)
//   java -cp DIR RestartFloor watch SRC LIST   loads LIST, walks SRC registering the watches, prints
//                                              "RestartFloor: N changed (E entries, D directories watched) in T ms"
//                                              and then waits on the watches until killed (idle, like a daemon)
//
// Exit status: 1 if SRC cannot be walked or LIST read, 2 on misuse. LIST: u32 count, then per entry u16 length +
// UTF-8 relative path, u64 size, u64 mtime (ns). The walk uses what a plain Java program would: DirectoryStream to
// list, one Files.readAttributes(BasicFileAttributes, NOFOLLOW_LINKS) per entry (one lstat), Path.register.

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class RestartFloor {
    /** What the comparison looks at. */
    record Saved(long size, long mtimeNs) {
    }

    /** Told each entry of a walk, and each directory before it is listed. */
    interface Visitor {
        void directory(Path dir) throws IOException;

        void entry(String rel, BasicFileAttributes a) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[0].equals("save") || args[0].equals("watch"))) {
            System.err.println("usage: RestartFloor save SRC LIST | RestartFloor watch SRC LIST");
            System.exit(2);
        }
        Path src = Path.of(args[1]);
        Path list = Path.of(args[2]);
        if (args[0].equals("save")) {
            save(src, list);
        } else {
            watch(src, list);
        }
    }

    private static void save(Path src, Path list) throws IOException {
        Map<String, Saved> entries = new HashMap<>();
        walk(src, new Visitor() {
            @Override
            public void directory(Path dir) {
            }

            @Override
            public void entry(String rel, BasicFileAttributes a) {
                entries.put(rel, saved(a));
            }
        });
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(list), 1 << 16))) {
            out.writeInt(entries.size());
            for (Map.Entry<String, Saved> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().size());
                out.writeLong(e.getValue().mtimeNs());
            }
        }
        System.out.println("RestartFloor: saved " + entries.size() + " entries of " + src + " to " + list);
    }

    private static void watch(Path src, Path list) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Map<String, Saved> saved = load(list);
        WatchService service = FileSystems.getDefault().newWatchService();
        int[] counts = new int[3]; // changed, entries, directories watched
        walk(src, new Visitor() {
            @Override
            public void directory(Path dir) throws IOException {
                dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
                counts[2]++;
            }

            @Override
            public void entry(String rel, BasicFileAttributes a) {
                counts[1]++;
                if (!saved(a).equals(saved.remove(rel))) {
                    counts[0]++;
                }
            }
        });
        counts[0] += saved.size(); // gone since the save
        System.out.printf("RestartFloor: %d changed (%d entries, %d directories watched) in %d ms%n",
                counts[0], counts[1], counts[2], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        System.out.flush();
        while (true) {
            service.take().reset(); // idle like a daemon until killed; events are only taken, not acted on
        }
    }

    private static Saved saved(BasicFileAttributes a) {
        return new Saved(a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    private static Map<String, Saved> load(Path list) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(list), 1 << 16))) {
            int n = in.readInt();
            Map<String, Saved> saved = HashMap.newHashMap(n);
            for (int i = 0; i < n; i++) {
                saved.put(in.readUTF(), new Saved(in.readLong(), in.readLong()));
            }
            return saved;
        }
    }

    /** Depth first, each directory handed to the visitor before it is listed; symlinks are not followed. */
    private static void walk(Path root, Visitor v) throws IOException {
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.push("");
        while (!todo.isEmpty()) {
            String rel = todo.pop();
            Path dir = rel.isEmpty() ? root : root.resolve(rel);
            v.directory(dir);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path child : ds) {
                    String name = child.getFileName().toString();
                    String childRel = rel.isEmpty() ? name : rel + "/" + name;
                    BasicFileAttributes a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    v.entry(childRel, a);
                    if (a.isDirectory()) {
                        todo.push(childRel);
                    }
                }
            }
        }
    }
}
