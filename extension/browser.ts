import browser from 'webextension-polyfill';

/**
 * The extension API, promise-based and the same in Chrome and Firefox (webextension-polyfill:
 * in Firefox it is the native `browser`, in Chrome a thin wrapper over `chrome`).
 */
export { browser };
