/**
 * The command line: {@code ferry receive | push | check-config | demo}. Parses arguments ({@code Args}), builds the
 * settings of {@code receive} and {@code push} from flags or YAML, and maps outcomes to exit codes:
 * 0 success, 1 runtime failure, 2 usage or configuration error (systemd's {@code RestartPreventExitStatus=2}).
 */
package dev.ferry.cli;
