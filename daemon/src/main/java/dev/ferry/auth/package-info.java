/**
 * Shared-token authentication: reading token files and proving knowledge of the token with
 * HMAC-SHA256 over both sides' nonces. Used by {@code receive} (verifies) and {@code push} (proves).
 */
package dev.ferry.auth;
