/**
 * The sender's journal: per sync target, an append-only, checksummed log of what is to be sent and how far it got
 * (files enqueued, chunks acknowledged or failed, files committed, dropped or parked, tree operations queued and
 * done), so that after a crash, a kill -9 or a reboot each unfinished file resumes with only its unacknowledged
 * chunks. The journal is the single source of truth of the sender's progress.
 *
 * <p>{@link dev.ferry.journal.Journal} is the entry point: {@code open} replays the folder (cutting a torn tail),
 * {@code state()} tells the caller what to resume, and the append methods record progress. Appends are made durable
 * by group commit on the journal's own flusher virtual thread, which also compacts the log into a fresh segment
 * holding only the live state. {@code JournalFormat} draws the layout on disk.
 *
 * <p>Called by {@code daemon} (the pair thread enqueues files and tree operations) and {@code push} (connection
 * threads record acks, failures and commits); any thread may call it. Depends on nothing of ours.
 */
package dev.ferry.journal;
