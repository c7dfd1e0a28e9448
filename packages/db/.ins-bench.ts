import Database from 'better-sqlite3'
import fs from 'node:fs'
const file = '/tmp/wtools/ins.db'
for (const f of [file, file + '-wal', file + '-shm']) fs.rmSync(f, { force: true })
const db = new Database(file)
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL')
db.exec(`CREATE TABLE delivery_attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id INTEGER NOT NULL, attempt INTEGER NOT NULL, started_at INTEGER NOT NULL, url TEXT NOT NULL, status INTEGER, duration_ms REAL NOT NULL, error TEXT, response_excerpt TEXT);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);
CREATE TABLE deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, state TEXT NOT NULL, lease_until INTEGER, lease_token TEXT, last_status INTEGER, last_error TEXT, updated_at INTEGER NOT NULL);
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE state = 'inflight';
CREATE INDEX deliveries_finished ON deliveries (updated_at) WHERE state IN ('delivered','failed','cancelled');`)
const N = 64, ROUNDS = 1500
const insD = db.prepare("INSERT INTO deliveries (state, lease_until, lease_token, updated_at) VALUES ('inflight', ?, 'tok', 1)")
db.transaction(() => { for (let i = 0; i < N * ROUNDS * 7 + 10; i++) insD.run(i) })()
const rows = (base: number) => Array.from({ length: N }, (_, i) => [base + i + 1, 1, Date.now(), 'http://127.0.0.1:1234/e2e/up', 200, 1.3, null, null])
const one = db.prepare('INSERT INTO delivery_attempts (delivery_id, attempt, started_at, url, status, duration_ms, error, response_excerpt) VALUES (?,?,?,?,?,?,?,?)')
const json = db.prepare(`INSERT INTO delivery_attempts (delivery_id, attempt, started_at, url, status, duration_ms, error, response_excerpt) SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7 FROM json_each(?)`)
const multi = db.prepare('INSERT INTO delivery_attempts (delivery_id, attempt, started_at, url, status, duration_ms, error, response_excerpt) VALUES ' + Array.from({ length: N }, () => '(?,?,?,?,?,?,?,?)').join(','))
const updOne = db.prepare("UPDATE deliveries SET state = 'delivered', lease_until = NULL, last_status = ?, last_error = NULL, updated_at = ? WHERE id = ? AND lease_token = ? AND state = 'inflight'")
const updJson = db.prepare("UPDATE deliveries SET state = 'delivered', lease_until = NULL, last_status = r.value ->> 2, last_error = NULL, updated_at = ? FROM json_each(?) AS r WHERE deliveries.id = r.value ->> 0 AND deliveries.lease_token = r.value ->> 1 AND deliveries.state = 'inflight'")
const updGroup = db.prepare("UPDATE deliveries SET state = 'delivered', lease_until = NULL, last_status = ?, last_error = NULL, updated_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND lease_token = ? AND state = 'inflight'")
const variants: Record<string, (r: unknown[][]) => void> = {
  perRow: (r) => { for (const row of r) { one.run(...row); updOne.run(200, Date.now(), row[0], 'tok') } },
  json: (r) => { json.run(JSON.stringify(r)); updJson.run(Date.now(), JSON.stringify(r.map((x) => [x[0], 'tok', 200]))) },
  multiGroup: (r) => { multi.run(...r.flat()); updGroup.run(200, Date.now(), JSON.stringify(r.map((x) => x[0])), 'tok') },
}
let base = 0
const order = ['perRow', 'json', 'multiGroup', 'multiGroup', 'json', 'perRow', 'json', 'multiGroup', 'perRow']
for (const name of order) {
  const fn = variants[name]!
  const t = performance.now()
  for (let k = 0; k < ROUNDS / 3; k++) { const r = rows(base); base += N; db.transaction(() => fn(r))() }
  console.log(name, ((performance.now() - t) * 1000 / (ROUNDS / 3 * N)).toFixed(2), 'us/row')
}
console.log(db.prepare("select state, count(*) n from deliveries group by state").all())
