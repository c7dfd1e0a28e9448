export declare const NODE_FLAGS: Record<'api' | 'worker' | 'mock', readonly string[]>
