// Nimbus's version, shown by /_nimbus/health and the CLI.
export const version = '0.1.0'
