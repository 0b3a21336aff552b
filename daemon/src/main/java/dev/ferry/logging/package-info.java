/**
 * Logging set-up: ferry's default Logback configuration, built in code. Logback finds it through
 * {@code META-INF/services}; nothing in ferry calls it.
 */
package dev.ferry.logging;
