/** Why a fetch failed; `retryable` on the result says whether trying later may help. */
export type FetchErrorCode =
  | 'invalid-url' // not an absolute http(s) URL
  | 'blocked-address' // resolves to loopback/private/link-local and private networks are not allowed
  | 'dns' // the host name does not resolve
  | 'connect' // refused, reset, unreachable
  | 'timeout' // the request (headers and body) took longer than timeoutMs
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'too-large' // the body (after decompression) is over maxBytes
  | 'http-status' // a non-2xx, non-304 answer; see `status`
  | 'decode' // broken gzip/deflate/br stream
  | 'aborted'; // the caller's signal fired

/** Conditional-GET validators stored from the previous successful fetch. */
export interface FetchValidators {
  etag?: string;
  lastModified?: string;
}

/** What a caller passes per fetch. */
export interface FetchRequestOptions extends FetchValidators {
  signal?: AbortSignal;
}

interface FetchMeta {
  /** The URL the answer finally came from (after redirects). */
  finalUrl: string;
  /**
   * Set when the chain of redirects began with permanent ones (301/308): the URL those lead to.
   * The caller should store it as the source's new URL.
   */
  permanentRedirect?: string;
  etag?: string;
  lastModified?: string;
  /** Cache-Control max-age (or s-maxage) in seconds, when given; the scheduler bounds it. */
  maxAgeSeconds?: number;
}

/** A fetch that produced a body. */
export interface FetchOk extends FetchMeta {
  kind: 'ok';
  status: number;
  /** The body decoded to text (charset from BOM, HTTP header or XML declaration). */
  body: string;
  /** The charset the body was decoded with (iconv-lite name, e.g. `utf-8`, `gbk`). */
  charset: string;
  contentType?: string;
  /** Size of the decompressed body in bytes. */
  bytes: number;
}

/** A 304: the feed did not change since the validators were taken. */
export interface FetchNotModified extends FetchMeta {
  kind: 'not-modified';
}

/** A fetch that failed; expected failures are values, never throws. */
export interface FetchError {
  kind: 'error';
  code: FetchErrorCode;
  /** One line for logs and for the moderators' "source paused" notice. */
  message: string;
  /** Whether trying again later (with backoff) may succeed. */
  retryable: boolean;
  status?: number;
  /** Retry-After from a 429/503, in seconds. */
  retryAfterSeconds?: number;
  finalUrl?: string;
}

/** The outcome of one fetch. */
export type FetchResult = FetchOk | FetchNotModified | FetchError;

/** Settings of a fetcher; every one has a sensible default. */
export interface FetcherOptions {
  /** Sent on every request. Default: `SciPop/<version> (science feed reader)`. */
  userAgent?: string;
  /** Deadline for one HTTP request, headers and body. Default 20 000 ms. */
  timeoutMs?: number;
  /** Largest body accepted after decompression. Default 5 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Requests in flight to one host at once. Default 2. */
  perHostConcurrency?: number;
  /** Allow loopback/private/link-local targets (SCIPOP_ALLOW_PRIVATE_NETWORKS=1). Default false. */
  allowPrivateNetworks?: boolean;
  /** Overrides which resolved addresses are refused (tests); default: loopback/private/link-local. */
  isBlockedAddress?: (ip: string) => boolean;
}

/** Fetches feeds over HTTP(S). */
export interface Fetcher {
  fetch(url: string, options?: FetchRequestOptions): Promise<FetchResult>;
  /** Closes kept-alive sockets (for shutdown and tests). */
  close(): void;
}
