/**
 * Small facts about durable storage shared by every package that writes files for ferry itself (journal, index)
 * or for users (receive). Depends on nothing of ours.
 */
package dev.ferry.disk;
