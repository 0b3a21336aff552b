/**
 * Reads and checks ferry's YAML configuration: {@link dev.ferry.config.ConfigLoader#load} turns a file into an
 * immutable {@link dev.ferry.config.FerryConfig} or fails with one {@link dev.ferry.config.ConfigException} that
 * names the file, the line, the dotted key ({@code receive.folders.photos.path}, {@code sync[0].targets[1]})
 * and how to fix it. Called by {@code cli} ({@code ferry daemon}, {@code ferry check-config}) and by
 * {@code daemon}; the value types ({@link dev.ferry.config.HostPort}, {@link dev.ferry.config.FerryUri},
 * {@link dev.ferry.config.ByteSizes}, {@link dev.ferry.config.Durations}) also parse command-line arguments.
 *
 * <p>The YAML is read token by token into a small tree that keeps the line of every key and value
 * ({@code YamlTree}), instead of data binding, so that every message points at the right line. Config code
 * only looks at the file system (folders and token files must exist); it never creates anything, that is
 * {@code daemon}'s job. All paths are resolved in the config file's own {@link java.nio.file.FileSystem}, so
 * tests can load configs from jimfs. Runs on the caller's thread; holds no state.
 */
package dev.ferry.config;
