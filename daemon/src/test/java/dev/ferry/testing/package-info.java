/**
 * Test utilities shared by ferry's tests; nothing here ships.
 *
 * <ul>
 *   <li>{@link dev.ferry.testing.Trees}: build test trees, compare two trees entry by entry.
 *   <li>{@link dev.ferry.testing.RawClient}: a hand-driven wire client for frames no honest sender would send.
 *   <li>{@link dev.ferry.testing.FaultProxy}: a TCP proxy that drops, stalls, delays and damages connections, per
 *       direction and per connection, with exact counters; also runs as a process.
 *   <li>{@link dev.ferry.testing.FerryProcess}: ferry (or another test main) as a real OS process, for kill -9
 *       tests; logs to a file, waits for log lines with deadlines.
 *   <li>{@link dev.ferry.testing.NetNs}: two network namespaces joined by a veth pair (root only; tests skip
 *       elsewhere), with tc tbf shaping and link flaps.
 *   <li>{@link dev.ferry.testing.TcpSink}, {@link dev.ferry.testing.TcpSource}: byte-counting server and client
 *       for the self-tests of the above.
 * </ul>
 */
package dev.ferry.testing;
