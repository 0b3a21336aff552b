package dev.ferry.config;

import java.util.regex.Pattern;

/** The rule for receive folder names, shared by {@link ReceiveConfig} and {@link FerryUri}. */
final class FolderName {
    static final String RULE = "use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    private FolderName() {
    }

    static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    /** Throws {@link IllegalArgumentException} naming the bad value and the rule. */
    static String check(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("folder name \"" + name + "\" is invalid: " + RULE);
        }
        return name;
    }
}
