/**
 * Reads and checks ferry's YAML configuration, and is the one home of every configurable default and range rule.
 *
 * <p>{@link dev.ferry.config.ConfigLoader#load} turns a file into an immutable {@link dev.ferry.config.FerryConfig}
 * ({@link dev.ferry.config.ReceiveConfig}, {@link dev.ferry.config.SyncConfig}s, the state directory) or fails with
 * one {@link dev.ferry.config.ConfigException} that names the file, the line, the dotted key
 * ({@code receive.folders.photos.path}, {@code sync[0].targets[1]}), the bad value and how to fix it.
 *
 * <p>Who calls it: {@code cli} ({@code ferry daemon}, {@code ferry receive --config}, {@code ferry check-config}; and
 * {@code ferry receive}'s and {@code ferry push}'s flags, through the value types {@link dev.ferry.config.HostPort},
 * {@link dev.ferry.config.FerryUri}, {@link dev.ferry.config.ByteSizes} and {@link dev.ferry.config.Durations});
 * {@code daemon}, which turns each {@code SyncConfig} into a running pair. Below it: {@code auth} (the token),
 * {@code wire} (the largest chunk, a protocol limit) and {@code journal} (its group-commit default).
 *
 * <p>Defaults and ranges: each record's constants ({@code DEFAULT_*}, {@code MIN_*}, {@code MAX_*}) and its static
 * {@code ...InRange} checks are the only statement of them. The record's compact constructor checks each field on
 * its own (messages name the record component, for code that builds records directly); the readers
 * ({@code SyncReader}, {@code ReceiveReader}) ask the same checks and word the error for the config file (the YAML
 * key, the bad value, the fix). The runtime settings of {@code receive}, {@code push} and {@code journal} do not
 * depend on this package: {@code cli} and {@code daemon} copy the configured values into them.
 *
 * <p>The YAML is read token by token into a small tree that keeps the line of every key and value
 * ({@code YamlTree}), instead of data binding, so that every message points at the right line. Config code
 * only looks at the file system (folders and token files must exist); it never creates anything, that is
 * {@code daemon}'s job. All paths are resolved in the config file's own {@link java.nio.file.FileSystem}, so
 * tests can load configs from jimfs. Runs on the caller's thread; holds no state.
 */
package dev.ferry.config;
