/**
 * Talking to the service manager: {@code SystemdNotifier} sends systemd's readiness protocol ({@code READY=1},
 * {@code STATUS=}, {@code RELOADING=1}, {@code STOPPING=1}) to the datagram socket named by {@code $NOTIFY_SOCKET},
 * as {@code sd_notify(3)} does; without that variable (not under systemd, or not {@code Type=notify}) it does
 * nothing. The JDK has no datagram Unix sockets, so {@code UnixDatagram} calls {@code socket(2)} and
 * {@code sendto(2)} through the FFM API ({@code java.lang.foreign}); the launcher grants it native access
 * ({@code Enable-Native-Access: ALL-UNNAMED} in the jar's manifest, {@code --enable-native-access=ALL-UNNAMED} on
 * a {@code -cp} command line). Called by {@code cli} (the {@code daemon} verb); depends on nothing of ours.
 */
package dev.ferry.service;
