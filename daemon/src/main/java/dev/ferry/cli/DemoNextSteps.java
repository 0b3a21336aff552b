package dev.ferry.cli;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** The end of the demo: commands to try next on the demo folder, with the launcher the user has. */
final class DemoNextSteps {
    /** The port of the demo folder's {@code ferry.yaml} (the demo itself runs on a free one). */
    static final int PORT = 7878;

    private DemoNextSteps() {
    }

    static void print(DemoFolder folder, boolean kept, PrintStream out) {
        String ferry = launcher();
        String uri = "ferry://127.0.0.1:" + PORT + "/" + DemoRig.FOLDER;
        out.println("What to try next:");
        out.println("  " + ferry + " daemon --config " + folder.config());
        out.println("      the same as one daemon, as a service runs it (receives on 127.0.0.1:" + PORT + ");");
        out.println("      then change files in " + folder.source() + "/ and watch " + folder.target() + "/");
        out.println("  " + ferry + " status --config " + folder.config());
        out.println("      (in another terminal) what it is doing: the table above, live");
        out.println("  " + ferry + " push " + folder.source() + "/ " + uri + " --token-file " + folder.token());
        out.println("      a one-shot push to that daemon, like rsync");
        out.println("  " + ferry + " check-config " + folder.config() + "    " + ferry + " help    " + ferry + " help daemon");
        out.println(kept ? "The demo folder " + folder.base() + " is kept (remove it when done)."
                : "The demo folder " + folder.base() + " is removed; " + ferry + " demo --keep keeps it for the above.");
    }

    /**
     * {@code bin/ferry} (as the user can type it from here) when this runs from a checkout's
     * {@code daemon/target/ferry.jar}, else {@code ferry} (installed, or classes in a test).
     */
    static String launcher() {
        try {
            CodeSource code = DemoNextSteps.class.getProtectionDomain().getCodeSource();
            Path jar = code == null ? null : Path.of(code.getLocation().toURI());
            Path checkout = jar != null && jar.endsWith(Path.of("daemon", "target", "ferry.jar"))
                    ? jar.getParent().getParent().getParent() : null;
            if (checkout == null || !Files.isExecutable(checkout.resolve("bin/ferry"))) {
                return "ferry";
            }
            Path here = Path.of("").toAbsolutePath();
            Path script = checkout.resolve("bin/ferry").toAbsolutePath();
            return script.startsWith(here) ? here.relativize(script).toString() : script.toString();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return "ferry";
        }
    }
}
