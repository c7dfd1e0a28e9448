import type { SqliteDatabase } from './open.js'

/** Rows per statement; every row count is a sum of these, largest first. */
const CHUNK_SIZES = [64, 16, 4, 1] as const

interface RowsStatement {
  run(values: unknown[]): unknown
  all(values: unknown[]): unknown[]
}

/**
 * Inserts many rows of one table with few statements: a multi-row INSERT per chunk, prepared
 * once per chunk size. On the hot paths a statement per row cost more than the row itself.
 */
export class ChunkedInsert {
  private readonly statements = new Map<number, RowsStatement>()
  private readonly placeholders: string

  /** `returning` (a column) makes `insert` answer that column of the inserted rows. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly head: string,
    private readonly columns: number,
    private readonly returning?: string,
  ) {
    this.placeholders = `(${Array.from({ length: columns }, () => '?').join(', ')})`
  }

  /** `values` holds the rows one after the other, `columns` values each. */
  insert(values: readonly unknown[]): unknown[] {
    const rows = values.length / this.columns
    const returned: unknown[] = []
    let at = 0
    for (const size of CHUNK_SIZES) {
      while (rows - at >= size) {
        const chunk = values.slice(at * this.columns, (at + size) * this.columns)
        const statement = this.statementFor(size)
        if (this.returning) returned.push(...statement.all(chunk))
        else statement.run(chunk)
        at += size
      }
    }
    return returned
  }

  private statementFor(rows: number): RowsStatement {
    let statement = this.statements.get(rows)
    if (!statement) {
      const values = Array.from({ length: rows }, () => this.placeholders).join(', ')
      const tail = this.returning ? ` RETURNING ${this.returning}` : ''
      const prepared = this.db.prepare(`${this.head} VALUES ${values}${tail}`)
      statement = (this.returning ? prepared.pluck() : prepared) as unknown as RowsStatement
      this.statements.set(rows, statement)
    }
    return statement
  }
}
