import { describe, it, expect } from 'vitest'

import { GrpcCode, LorahooksError } from './errors.js'
import {
  URL_TEMPLATE_VARIABLES,
  buildWebhookUrl,
  checkBaseUrl,
  checkPathTemplate,
  expandUriTemplate,
  type UrlVariables,
} from './webhook-url.js'

const DEV_EUI = '70B3D57ED0000001'
const dev1: UrlVariables = { appID: 'app1', devID: 'dev1', devEUI: DEV_EUI }

describe('URL_TEMPLATE_VARIABLES', () => {
  it('lists every variable TTS offers, aliases included', () => {
    expect([...URL_TEMPLATE_VARIABLES].sort()).toEqual(
      ['appEUI', 'appID', 'applicationID', 'devAddr', 'devEUI', 'devID', 'deviceID', 'joinEUI']
        .sort(),
    )
    expect(Object.isFrozen(URL_TEMPLATE_VARIABLES)).toBe(true)
  })
})

describe('buildWebhookUrl: W01 paths are appended exactly as written', () => {
  const rows: Array<[string, string, string]> = [
    ['http://127.0.0.1:9001/hooks', '/up/', 'http://127.0.0.1:9001/hooks/up/'],
    ['http://127.0.0.1:9001/hooks', '/up', 'http://127.0.0.1:9001/hooks/up'],
    ['http://127.0.0.1:9001/hooks/', '/up', 'http://127.0.0.1:9001/hooks/up'],
    ['http://127.0.0.1:9001/hooks/', 'up', 'http://127.0.0.1:9001/hooks/up'],
    ['http://127.0.0.1:9001/hooks', 'up', 'http://127.0.0.1:9001/hooks/up'],
    ['http://127.0.0.1:9001', '/up', 'http://127.0.0.1:9001/up'],
    ['http://127.0.0.1:9001/hooks/', '', 'http://127.0.0.1:9001/hooks/'],
  ]

  it.each(rows)('%s + %j → %s', (base, path, expected) => {
    expect(buildWebhookUrl(base, path, dev1)).toBe(expected)
  })

  it('treats an undefined path like an empty one', () => {
    expect(buildWebhookUrl('http://127.0.0.1:9001/hooks', undefined, dev1)).toBe(
      'http://127.0.0.1:9001/hooks',
    )
  })

  it('gives the base plus one slash for a path of `/` alone', () => {
    expect(buildWebhookUrl('http://h:1/hooks', '/', dev1)).toBe('http://h:1/hooks/')
    expect(buildWebhookUrl('http://h:1/hooks/', '/', dev1)).toBe('http://h:1/hooks/')
    expect(buildWebhookUrl('http://h:1', '/', dev1)).toBe('http://h:1/')
  })

  it('appends to a base without a path', () => {
    expect(buildWebhookUrl('http://h:1', 'up', dev1)).toBe('http://h:1/up')
    expect(buildWebhookUrl('http://h:1/', 'up', dev1)).toBe('http://h:1/up')
  })

  it('collapses runs of slashes at the join to exactly one', () => {
    expect(buildWebhookUrl('http://h:1/hooks//', '//up//', dev1)).toBe('http://h:1/hooks/up//')
  })

  it('never resolves the RFC 3986 way (unlike new URL)', () => {
    expect(new URL('up', 'http://h/hooks').href).toBe('http://h/up')
    expect(buildWebhookUrl('http://h/hooks', 'up', dev1)).toBe('http://h/hooks/up')
    expect(buildWebhookUrl('http://h/a/b', 'c/d', dev1)).toBe('http://h/a/b/c/d')
  })
})

describe('buildWebhookUrl: W02 query strings', () => {
  const rows: Array<[string, string, string]> = [
    ['http://127.0.0.1:9001/hooks?token=abc', '/up', 'http://127.0.0.1:9001/hooks/up?token=abc'],
    [
      'http://127.0.0.1:9001/hooks?token=abc',
      '/up?kind=uplink',
      'http://127.0.0.1:9001/hooks/up?token=abc&kind=uplink',
    ],
    [
      'http://127.0.0.1:9001/cb/k9?idname={devEUI}',
      '',
      `http://127.0.0.1:9001/cb/k9?idname=${DEV_EUI}`,
    ],
    [
      'http://127.0.0.1:9001/hooks',
      '/up/{devID}?eui={devEUI}',
      `http://127.0.0.1:9001/hooks/up/dev1?eui=${DEV_EUI}`,
    ],
  ]

  it.each(rows)('%s + %j → %s', (base, path, expected) => {
    expect(buildWebhookUrl(base, path, dev1)).toBe(expected)
  })

  it('keeps the base query on every kind of path', () => {
    const base = 'http://h/hooks?token=abc'
    expect(buildWebhookUrl(base, '', dev1)).toBe('http://h/hooks?token=abc')
    expect(buildWebhookUrl(base, 'up/', dev1)).toBe('http://h/hooks/up/?token=abc')
    expect(buildWebhookUrl(base, '/', dev1)).toBe('http://h/hooks/?token=abc')
  })

  it('keeps the base path and merges queries for a query-only path', () => {
    expect(buildWebhookUrl('http://h/hooks?token=abc', '?kind=up', dev1)).toBe(
      'http://h/hooks?token=abc&kind=up',
    )
    expect(buildWebhookUrl('http://h/hooks', '?kind=up', dev1)).toBe('http://h/hooks?kind=up')
  })

  it('never escapes the `?` of a template into the path', () => {
    const url = buildWebhookUrl('http://h/hooks', 'up?eui={devEUI}&app={appID}', dev1)
    expect(url).toBe(`http://h/hooks/up?eui=${DEV_EUI}&app=app1`)
    expect(url).not.toContain('%3F')
  })

  it('drops fragments of base and path, which are never sent', () => {
    expect(buildWebhookUrl('http://h/hooks?t=1#frag', 'up', dev1)).toBe('http://h/hooks/up?t=1')
    expect(buildWebhookUrl('http://h/hooks#frag', '', dev1)).toBe('http://h/hooks')
    expect(buildWebhookUrl('http://h/hooks', 'up?x=1#frag?y=2', dev1)).toBe('http://h/hooks/up?x=1')
  })

  it('does not add a `?` when both queries are empty', () => {
    expect(buildWebhookUrl('http://h/hooks?', 'up?', dev1)).toBe('http://h/hooks/up')
  })

  it('does not re-encode what the user wrote', () => {
    expect(buildWebhookUrl('http://h/a%20b?q=%2F', 'c%2Fd', dev1)).toBe(
      'http://h/a%20b/c%2Fd?q=%2F',
    )
  })
})

describe('buildWebhookUrl: variables', () => {
  const full: UrlVariables = {
    appID: 'foo-app',
    devID: 'foo-device',
    devEUI: '0004a30b001c0530',
    joinEUI: '70B3D57ED0000000',
    devAddr: '00bcb929',
  }

  it('fills every variable and its alias, EUIs and DevAddr in upper case', () => {
    const path =
      '{appID}/{applicationID}/{devID}/{deviceID}/{devEUI}/{joinEUI}/{appEUI}/{devAddr}'
    expect(buildWebhookUrl('http://h', path, full)).toBe(
      'http://h/foo-app/foo-app/foo-device/foo-device/0004A30B001C0530' +
        '/70B3D57ED0000000/70B3D57ED0000000/00BCB929',
    )
  })

  it('matches the TTS webhooks_test.go example in all four slash combinations', () => {
    const expected = 'https://myapp.com/api/ttn/v3/foo-app/foo-device/up?devEUI=0004A30B001C0530'
    for (const base of [
      'https://myapp.com/api/ttn/v3{/appID,devID}',
      'https://myapp.com/api/ttn/v3{/appID,devID}/',
    ]) {
      for (const path of ['up{?devEUI}', '/up{?devEUI}']) {
        expect(buildWebhookUrl(base, path, full)).toBe(expected)
      }
    }
  })

  it('drops a query parameter whose EUI is missing, and empties a plain one', () => {
    const noEui: UrlVariables = { appID: 'app1', devID: 'dev1' }
    expect(buildWebhookUrl('http://h/hooks', 'up{?devEUI}', noEui)).toBe('http://h/hooks/up')
    expect(buildWebhookUrl('http://h/hooks', 'up{?devID,devEUI}', noEui)).toBe(
      'http://h/hooks/up?devID=dev1',
    )
    expect(buildWebhookUrl('http://h/hooks', 'up/{devEUI}', noEui)).toBe('http://h/hooks/up/')
    expect(buildWebhookUrl('http://h/hooks', '{devEUI}', noEui)).toBe('http://h/hooks')
  })

  it('treats an empty EUI like a missing one', () => {
    const emptyEui: UrlVariables = { appID: 'app1', devID: 'dev1', devEUI: '', devAddr: '' }
    expect(buildWebhookUrl('http://h', 'up{?devEUI,devAddr}', emptyEui)).toBe('http://h/up')
  })

  it('expands an unknown variable to nothing at delivery time', () => {
    expect(buildWebhookUrl('http://h', 'up/{foo}{?bar}', dev1)).toBe('http://h/up/')
  })

  it('throws an invalid-argument error on a malformed template', () => {
    expect(() => buildWebhookUrl('http://h', 'up/{devID', dev1)).toThrow(LorahooksError)
  })
})

describe('expandUriTemplate (RFC 6570 examples, string values)', () => {
  const vars: Record<string, string> = {
    var: 'value',
    hello: 'Hello World!',
    path: '/foo/bar',
    empty: '',
    x: '1024',
    y: '768',
    semi: ';,',
    half: '50%',
    pct: '50%20off',
    unicode: 'grüße',
  }

  const rows: Array<[string, string]> = [
    // level 1: simple
    ['{var}', 'value'],
    ['{hello}', 'Hello%20World%21'],
    ['{semi}', '%3B%2C'],
    ['{half}', '50%25'],
    ['{unicode}', 'gr%C3%BC%C3%9Fe'],
    ['{path}', '%2Ffoo%2Fbar'],
    // level 2: reserved and fragment
    ['{+var}', 'value'],
    ['{+hello}', 'Hello%20World!'],
    ['{+path}/here', '/foo/bar/here'],
    ['here?ref={+path}', 'here?ref=/foo/bar'],
    ['{+semi}', ';,'],
    ['{+half}', '50%25'],
    ['{+pct}', '50%20off'],
    ['{#var}', '#value'],
    ['{#hello}', '#Hello%20World!'],
    // level 3: several variables per operator
    ['map?{x,y}', 'map?1024,768'],
    ['{x,hello,y}', '1024,Hello%20World%21,768'],
    ['{+x,hello,y}', '1024,Hello%20World!,768'],
    ['{+path,x}/here', '/foo/bar,1024/here'],
    ['{#x,hello,y}', '#1024,Hello%20World!,768'],
    ['{#path,x}/here', '#/foo/bar,1024/here'],
    ['X{.var}', 'X.value'],
    ['X{.x,y}', 'X.1024.768'],
    ['{/var}', '/value'],
    ['{/var,x}/here', '/value/1024/here'],
    ['{;x,y}', ';x=1024;y=768'],
    ['{;x,y,empty}', ';x=1024;y=768;empty'],
    ['{?x,y}', '?x=1024&y=768'],
    ['{?x,y,empty}', '?x=1024&y=768&empty='],
    ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
    ['{&x,y,empty}', '&x=1024&y=768&empty='],
    // level 4: prefix and explode
    ['{var:3}', 'val'],
    ['{var:30}', 'value'],
    ['{+path:6}/here', '/foo/b/here'],
    ['{#path:6}/here', '#/foo/b/here'],
    ['X{.var:3}', 'X.val'],
    ['{/var:1,var}', '/v/value'],
    ['{;hello:5}', ';hello=Hello'],
    ['{?var:3}', '?var=val'],
    ['{&var:3}', '&var=val'],
    ['{unicode:3}', 'gr%C3%BC'],
    ['{var*}', 'value'],
    ['{/var*}', '/value'],
    ['{?var*}', '?var=value'],
    ['{;var*}', ';var=value'],
    // empty values per operator
    ['{empty}', ''],
    ['{+empty}', ''],
    ['{#empty}', '#'],
    ['{.empty}', '.'],
    ['{/empty}', '/'],
    ['{;empty}', ';empty'],
    ['{?empty}', '?empty='],
    ['{&empty}', '&empty='],
    // undefined values vanish, with their separators
    ['{undef}', ''],
    ['{+undef}', ''],
    ['{#undef}', ''],
    ['{.undef}', ''],
    ['{/undef}', ''],
    ['{;undef}', ''],
    ['{?undef}', ''],
    ['{&undef}', ''],
    ['{x,undef,y}', '1024,768'],
    ['{?undef,x}', '?x=1024'],
    ['{toString}{constructor}', ''],
    // literals: allowed characters copied, others encoded
    ['plain/text?a=1&b=2', 'plain/text?a=1&b=2'],
    ['a%20b', 'a%20b'],
    ['100%', '100%25'],
    ['ü', '%C3%BC'],
    ['', ''],
  ]

  it.each(rows)('%j → %j', (template, expected) => {
    expect(expandUriTemplate(template, vars)).toBe(expected)
  })

  const malformed = [
    '{',
    '}',
    'a{b',
    'a}b',
    '{a}}',
    '{{a}}',
    '{a{b}}',
    '{}',
    '{+}',
    '{=a}',
    '{,a}',
    '{!a}',
    '{@a}',
    '{|a}',
    '{a,}',
    '{a b}',
    '{a-b}',
    '{a:0}',
    '{a:10000}',
    '{a*:3}',
    '{a..b}',
    '{.a.}',
  ]

  it.each(malformed)('rejects the malformed template %j', (template) => {
    let thrown: unknown
    try {
      expandUriTemplate(template, vars)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(LorahooksError)
    expect((thrown as LorahooksError).code).toBe(GrpcCode.INVALID_ARGUMENT)
    expect((thrown as LorahooksError).message).toMatch(/malformed template/)
  })

  it('accepts dotted and pct-encoded variable names', () => {
    expect(expandUriTemplate('{a.b}{%41}', { 'a.b': '1', '%41': '2' })).toBe('12')
  })
})

describe('checkBaseUrl', () => {
  const accepted = [
    'http://nodered:1880/in',
    'http://127.0.0.1:1880',
    'http://[::1]:1880/x',
    'https://example.com:8443/a/b',
    'http://localhost/',
    'https://example.com/lorahooks{/appID}',
    'HTTPS://Example.com/x',
    'https://user:secret@example.com/hooks',
    'http://127.0.0.1:9001/hooks?token=abc',
    'http://127.0.0.1:9001/cb/k9?idname={devEUI}',
    'https://myapp.com/api/ttn/v3{/appID,devID}/',
    'http://h/{applicationID}/{deviceID}{?joinEUI,appEUI,devAddr}',
    'http://h/a#frag',
  ]

  it.each(accepted)('accepts %j', (url) => {
    expect(checkBaseUrl(url)).toBeUndefined()
  })

  const rejected: Array<[string, RegExp]> = [
    ['nodered:1880/in', /scheme/],
    ['ftp://example.com/x', /scheme/],
    ['/relative/only', /scheme/],
    ['http://', /host/],
    ['', /empty/],
    ['javascript:alert(1)', /scheme/],
    ['http://exa mple.com/', /whitespace/],
    ['http://example.com/\tx', /whitespace/],
    ['http://example.com/x\n', /whitespace/],
    ['http://127.0.0.1:9001/a,http://127.0.0.1:9002/b', /single URL/],
    ['http://h/x?next=https://other/y', /single URL/],
    ['http:example.com/x', /scheme:\/\/host/],
    ['http:///x', /host/],
    ['http://user@/x', /host/],
    ['http://:80/x', /host/],
    ['http://?q=1', /host/],
    ['http://h:99999/', /syntax/],
    ['http://[::1/x', /syntax/],
    ['http://h/a/../b', /\.\. path segments/],
    ['http://h/a/%2E%2e/b', /\.\. path segments/],
    ['http://h/./b', /\.\. path segments/],
    ['http://h/{foo}', /unknown template variable `foo`; known: appID, applicationID/],
    ['http://h/{devID', /malformed template/],
    ['http://h/devID}', /malformed template/],
    ['http://h/{}', /malformed template/],
    [`http://h/${'a'.repeat(2048)}`, /2048/],
  ]

  it.each(rejected)('rejects %j', (url, reason) => {
    expect(checkBaseUrl(url)).toMatch(reason)
  })

  it('accepts exactly 2048 characters', () => {
    const url = 'http://h/' + 'a'.repeat(2048 - 'http://h/'.length)
    expect(url).toHaveLength(2048)
    expect(checkBaseUrl(url)).toBeUndefined()
  })

  it('checks a host written as a template after expansion', () => {
    expect(checkBaseUrl('http://{appID}.example.com/')).toBeUndefined()
    expect(checkBaseUrl('http://{?devEUI}/x')).toMatch(/host|syntax/)
  })
})

describe('checkPathTemplate', () => {
  const accepted = [
    '',
    '/',
    'up',
    '/up/',
    '/up?kind=uplink',
    '/up/{devID}?eui={devEUI}',
    'up{?devEUI}',
    '{/appID,devID}{?devAddr,joinEUI}',
    '{+deviceID}{#appEUI}',
    'a'.repeat(64),
    'ü'.repeat(64),
    '..up/up..',
  ]

  it.each(accepted)('accepts %j', (path) => {
    expect(checkPathTemplate(path)).toBeUndefined()
  })

  const rejected: Array<[string, RegExp]> = [
    ['a'.repeat(65), /64/],
    ['ü'.repeat(65), /64/],
    ['up /x', /whitespace/],
    ['up\t', /whitespace/],
    ['https://other.example.com/x', /absolute URL/],
    ['http:x', /absolute URL/],
    ['javascript:alert(1)', /absolute URL/],
    ['up?next=http://other/x', /absolute URL/],
    ['../secret', /\.\. path segments/],
    ['up/../../x', /\.\. path segments/],
    ['up/%2e%2E/x', /\.\. path segments/],
    ['./up', /\.\. path segments/],
    ['up/{foo}', /unknown template variable `foo`; known: /],
    ['{?devEUI,bar}', /unknown template variable `bar`/],
    ['up/{devID', /malformed template/],
    ['up/devID}', /malformed template/],
    ['{=devID}', /malformed template/],
  ]

  it.each(rejected)('rejects %j', (path, reason) => {
    expect(checkPathTemplate(path)).toMatch(reason)
  })

  it('lists every known variable when rejecting an unknown one', () => {
    const reason = checkPathTemplate('{foo}') ?? ''
    for (const name of URL_TEMPLATE_VARIABLES) expect(reason).toContain(name)
  })
})
