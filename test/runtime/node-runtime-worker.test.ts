// The Node.js runtime suite again, with every function in a worker thread (--lambda-executor worker):
// handlers, results, errors and logs must come out the same from both executors.
process.env.NIMBUS_LAMBDA_EXECUTOR = 'worker'
await import('./node-runtime.test.ts')
