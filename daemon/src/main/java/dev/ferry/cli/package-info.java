/**
 * The command line: {@code ferry daemon | receive | push | check-config | demo}, one {@code Verb} class each, run
 * on the main thread. Parses arguments ({@code Args}), builds the settings of {@code daemon}, {@code receive} and
 * {@code push} from flags or YAML ({@code config}), and maps outcomes to exit codes: 0 success, 1 runtime failure,
 * 2 usage or configuration error (systemd's {@code RestartPreventExitStatus=2}). The top of the dependency graph:
 * nothing of ours calls it.
 */
package dev.ferry.cli;
