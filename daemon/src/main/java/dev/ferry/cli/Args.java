package dev.ferry.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one verb: positionals, {@code --name VALUE} / {@code --name=VALUE} options (repeatable)
 * and {@code --name} flags; {@code --} ends the options. Anything not declared by the verb is a usage error.
 * (Hand-written rather than picocli: reading picocli's annotations cost a one-shot push ~0.2 s at start-up.)
 */
final class Args {
    private final List<String> positionals;
    private final Map<String, List<String>> options;

    private Args(List<String> positionals, Map<String, List<String>> options) {
        this.positionals = positionals;
        this.options = options;
    }

    static Args parse(String verb, List<String> argv, Set<String> valued, Set<String> flags) {
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> options = new HashMap<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (onlyPositionals || !a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            if (flags.contains(name)) {
                if (eq > 0) {
                    throw new UsageException("option " + name + " takes no value");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                String value;
                if (eq > 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < argv.size()) {
                    value = argv.get(++i);
                } else {
                    throw new UsageException("option " + name + " needs a value (see ferry " + verb + " --help)");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option '" + name + "' for " + verb + " (see ferry " + verb + " --help)");
            }
        }
        return new Args(positionals, options);
    }

    List<String> positionals() {
        return positionals;
    }

    /** The last value of an option, or null. */
    String value(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.getLast();
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** Exactly {@code n} positionals, named in the message when they are not there. */
    List<String> expectPositionals(String verb, String... names) {
        if (positionals.size() != names.length) {
            throw new UsageException(verb + " needs " + String.join(" ", names) + " (got " + positionals.size()
                    + " argument" + (positionals.size() == 1 ? "" : "s") + "; see ferry " + verb + " --help)");
        }
        return positionals;
    }
}
