package dev.ferry.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host (name, IPv4 or IPv6 literal; IPv6 without brackets) and a TCP port. Written {@code host:port} or
 * {@code [::1]:port}. Port 0 is allowed (listen on any free port); {@link FerryUri} refuses it.
 */
public record HostPort(String host, int port) {
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");
    private static final Pattern DOTTED_DIGITS = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
    private static final String FORM = "expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878";

    public HostPort {
        Objects.requireNonNull(host, "host");
        String problem = hostProblem(host);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException quoting the input and saying what is wrong with it
     */
    public static HostPort parse(String s) {
        return parse(s, -1, "address", FORM);
    }

    /** Parses {@code host[:port]} with a default port (-1: the port is required); messages say {@code what}. */
    static HostPort parse(String s, int defaultPort, String what, String form) {
        String bad = "bad " + what + " \"" + s + "\": ";
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " is empty; " + form);
        }
        if (DIGITS.matcher(s).matches() && defaultPort < 0) {
            throw new IllegalArgumentException(bad + "missing host; write e.g. 0.0.0.0:" + s
                    + " for every IPv4 interface or 127.0.0.1:" + s + " for this host only");
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(bad + "missing ']' after the IPv6 address; " + form);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException(bad + "expected ':PORT' after ']'; " + form);
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException(bad + "put an IPv6 address in brackets, e.g. [::1]:7878");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(bad + "missing host; " + form);
        }
        String problem = hostProblem(host);
        if (problem != null) {
            throw new IllegalArgumentException(bad + problem);
        }
        if (port == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException(bad + "missing \":PORT\"; " + form);
            }
            return new HostPort(host, defaultPort);
        }
        if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException(bad + "port \"" + port + "\" is not a number from 0 to 65535");
        }
        return new HostPort(host, Integer.parseInt(port));
    }

    private static String hostProblem(String host) {
        if (host.contains(":")) {
            if (host.startsWith("[")) {
                return "write the IPv6 host \"" + host + "\" without brackets";
            }
            try {
                Inet6Address.ofLiteral(host);
                return null;
            } catch (IllegalArgumentException e) {
                return "host \"" + host + "\" is not a valid IPv6 address";
            }
        }
        if (DOTTED_DIGITS.matcher(host).matches()) {
            try {
                Inet4Address.ofLiteral(host);
                return null;
            } catch (IllegalArgumentException e) {
                return "host \"" + host + "\" is not a valid IPv4 address";
            }
        }
        return host.length() <= 253 && HOST_NAME.matcher(host).matches() ? null : notValid(host);
    }

    private static String notValid(String host) {
        return "host \"" + host + "\" is not a valid host name or IP address";
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
