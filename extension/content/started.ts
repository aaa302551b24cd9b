/**
 * When the content script began to run: imported first by the entrypoint, so its module runs
 * before the others and `scipop:init` spans the whole script's startup.
 */
export const STARTED_AT = performance.now();
