export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string | number | null;
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
}

/** A plain-text table (no colors, no box drawing): stable in logs and easy to grep. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((r) => columns.map((c) => {
    const v = c.value(r);
    return v === null ? '-' : String(v);
  }));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}
