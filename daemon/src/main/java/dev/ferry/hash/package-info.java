/**
 * Chunk and whole-file digests: the strong per-chunk hash named by {@link dev.ferry.wire.HashAlgorithm} and the
 * file hash derived from the list of chunk hashes (so a file is read once to get both). Used by {@code push}
 * to build OFFERs and by {@code receive} to verify chunks and files.
 */
package dev.ferry.hash;
