/**
 * The receiving side: {@link dev.ferry.receive.Receiver} listens, hands each accepted connection to its own
 * virtual thread running a {@code ReceiverSession}, which authenticates the peer and turns OFFER/CHUNK/COMMIT
 * frames into files: chunks are verified (CRC32C, then the strong hash) and written into a partial file under
 * {@code <root>/.ferry/partial/}, and a file reaches its final path only by an atomic rename after the whole-file
 * hash checks out. Called by {@code cli} (and later {@code daemon}); uses {@code wire}, {@code hash}, {@code auth}.
 */
package dev.ferry.receive;
