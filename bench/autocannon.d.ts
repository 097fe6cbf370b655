// The slice of autocannon's programmatic API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    connections?: number
    pipelining?: number
    duration?: number
    /** Stop after this many requests instead of after `duration`. */
    amount?: number
    timeout?: number
    reconnectRate?: number
    verifyBody?: (body: string) => boolean
  }
  interface Histogram {
    average: number
    p50: number
    p99: number
    total: number
  }
  interface AutocannonResult {
    duration: number
    requests: Histogram
    latency: Histogram
    errors: number
    timeouts: number
    mismatches: number
    non2xx: number
    resets: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>
  export default autocannon
}
