/** Markdown building blocks of the review report. */

/** A table cell: pipes escaped, line breaks flattened. */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return '';
  const value = String(text);
  if (!/[\\|\n]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code, safe for any content (a longer fence when the text has backticks). */
export function code(text: string): string {
  if (text === '') return '';
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A table; an empty list of rows gives `empty` instead. */
export function table(headers: string[], rows: Array<Array<string | number | undefined>>, empty = '_None._'): string {
  if (rows.length === 0) return empty;
  const lines = [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** USD with cents and thousands separators (no Intl: its first use costs tens of milliseconds). */
export function usd(value: number): string {
  const [whole, cents] = Math.abs(value).toFixed(2).split('.');
  return `${value < 0 ? '-' : ''}$${thousands(whole)}.${cents}`;
}

/** A unit price: USD with at least two and up to four decimals ($0.01, $0.115, $50.00). */
export function usdRate(value: number): string {
  const [whole, decimals] = value.toFixed(4).split('.');
  return `$${thousands(whole)}.${decimals.replace(/0+$/, '').padEnd(2, '0')}`;
}

/** An integer with comma thousands separators. */
export function thousands(value: number | string): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A percentage with one decimal. */
export function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

/** "1 thing" / "2 things". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Text cut to `max` characters. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.substring(0, max - 1)}…` : text;
}

/** An anchor-safe slug for headings. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Appends to the list of a key of a map of lists. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
