/**
 * The plan stage of the data path: what to send. {@link dev.ferry.plan.Planner} turns settled paths and rescans
 * into a {@link dev.ferry.plan.Delta} (uploads, moves found by inode, deletions held back for the rename window);
 * {@link dev.ferry.plan.Reconciler} diffs the index against a receiver's listing, and
 * {@link dev.ferry.plan.PushReconciler} a one-shot push's walk against one; {@link dev.ferry.plan.IgnoreRules}
 * says which paths are left out; {@link dev.ferry.plan.SourceGuard} holds everything back while the source looks
 * unmounted or emptied. All of it runs on a pair's thread and decides only: it sends nothing and starts no thread.
 * Called by {@code daemon} (a {@code SyncPair} plans, its {@code TargetLink}s send) and by {@code cli} (a
 * one-shot push's replacements, {@code --delete} and {@code --exclude}, on the main thread); uses {@code index},
 * {@code push} (the plan types), {@code wire} (listings, entry kinds), {@code path} and {@code time}; never
 * {@code daemon}.
 */
package dev.ferry.plan;
