import { describe, expect, it } from 'vitest'
import { FlagError, parseFlags, SCENARIOS } from './flags.js'

describe('parseFlags', () => {
  it('runs every scenario at full size by default', () => {
    const options = parseFlags([])
    expect(options.scenarios).toEqual([...SCENARIOS])
    expect(options).toMatchObject({ messages: 100_000, rate: 1000, duration: 60, smoke: false })
  })

  it('shrinks sizes for --smoke and lets flags override them', () => {
    const options = parseFlags(['--smoke', '--messages=300', '--scenarios=e2e,raw'])
    expect(options.smoke).toBe(true)
    expect(options.messages).toBe(300)
    expect(options.longDeliveries).toBeLessThan(10_000)
    expect(options.scenarios).toEqual(['raw', 'e2e'])
  })

  it('refuses unknown flags, unknown scenarios and bad numbers', () => {
    expect(() => parseFlags(['--nope=1'])).toThrow(FlagError)
    expect(() => parseFlags(['--scenarios=raw,warp'])).toThrow(/unknown scenario warp/)
    expect(() => parseFlags(['--messages=-5'])).toThrow(/positive/)
    expect(() => parseFlags(['--messages=2.5'])).toThrow(/whole number/)
    expect(parseFlags(['--duration=0.5']).duration).toBe(0.5)
    expect(() => parseFlags(['--duration=0'])).toThrow(/positive/)
    expect(parseFlags(['--warmup=0']).warmup).toBe(0)
    expect(() => parseFlags(['--warmup=-1'])).toThrow(/zero or a positive/)
  })
})
