/**
 * Logging set-up: ferry's default Logback configuration, built in code (text, journal or JSON lines), and {@link
 * dev.ferry.logging.Human}, sizes and durations as log lines print them. Logback finds the configuration through
 * {@code META-INF/services}; {@code cli} switches it to the config's {@code log-format}
 * ({@link dev.ferry.logging.FerryLogConfigurator#use}). Depends on nothing of ours; {@code receive}, {@code push},
 * {@code daemon}, {@code journal}, {@code watch} and {@code cli} use {@code Human}, {@code config} reads {@link
 * dev.ferry.logging.LogFormat}.
 */
package dev.ferry.logging;
