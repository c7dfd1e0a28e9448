export { createMockEndpoint } from './server.js'
export type * from './types.js'
