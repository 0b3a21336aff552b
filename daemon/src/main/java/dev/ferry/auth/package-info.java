/**
 * Who is on the other end: host identities ({@link dev.ferry.auth.KeyGen}, {@link dev.ferry.auth.Identity},
 * {@link dev.ferry.auth.PeerId}) and TLS 1.3 with pinned keys ({@link dev.ferry.auth.Tls}, a sender's
 * {@link dev.ferry.auth.SenderPin}); who may write a folder ({@link dev.ferry.auth.FolderAccess}); and the shared-token
 * mode: reading token files and proving knowledge of the token with HMAC-SHA256 over both sides' nonces. Used by
 * {@code receive} (verifies) and {@code push} (proves).
 */
package dev.ferry.auth;
