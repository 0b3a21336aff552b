package dev.ferry.daemon;

/**
 * A look into a pair's first walk, for tests: called on the walking thread after each batch of found files was
 * handed on. A probe that blocks holds the walk there (a test pauses it so as to see the first files arrive while
 * the walk goes on).
 */
@FunctionalInterface
interface FirstWalkProbe {
    FirstWalkProbe NONE = (targetsListed, filesStreamed) -> {
    };

    /**
     * @param targetsListed how many targets' listings have come so far
     * @param filesStreamed files submitted to targets so far
     */
    void flushed(int targetsListed, long filesStreamed);
}
