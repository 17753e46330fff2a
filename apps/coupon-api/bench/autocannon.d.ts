// autocannon 9 ships no typings: the part of its API the benchmark uses.
declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }

  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }

  interface Options {
    url: string;
    /** Requests sent in turn; setupRequest may change each one just before it leaves. */
    requests?: (RequestParams & { setupRequest?: (request: RequestParams) => RequestParams })[];
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Replaces every `[<id>]` of the request with a new id on each request. */
    idReplacement?: boolean;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    /** Requests per second over all connections. */
    overallRate?: number;
    ignoreCoordinatedOmission?: boolean;
    timeout?: number;
  }

  interface Result {
    requests: Histogram;
    /** Milliseconds. */
    latency: Histogram;
    '2xx': number;
    non2xx: number;
    errors: number;
    timeouts: number;
  }

  export default function autocannon(options: Options): Promise<Result>;
}
