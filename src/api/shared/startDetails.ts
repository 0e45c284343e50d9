/**
 * What the Temporal Web UI shows of an order from the moment its workflow starts:
 * a one-line summary in the list, markdown details on the workflow's page, and the
 * `BusinessReference` search attribute. Each family builds its own from the
 * references partners quote (src/api/<family>/startDetails.ts); this module only
 * shapes the text.
 *
 * None of it may carry personal data: summaries, details and search attributes are
 * shown to every operator and kept by Temporal for the namespace's retention, so a
 * family's builder reads named business fields only, never a customer or contact.
 */
export interface StartDetails {
  /** `staticSummary`: one line. */
  summary: string;
  /** `staticDetails`: markdown. */
  details: string;
  /** The `BusinessReference` search attribute. */
  businessReference: string;
}

export type DetailRow = readonly [label: string, value: string | number | null | undefined];

// Temporal refuses a start whose summary payload exceeds 400 bytes (20,000 for the
// details). The payload is the JSON text, possibly encrypted by a payload codec, so
// the text keeps well below both.
const SUMMARY_MAX_BYTES = 160;
const DETAILS_MAX_BYTES = 12_000;
// A list longer than this (product ids of a large order) is cut with a count of the rest.
const LIST_MAX_ITEMS = 10;

/** One line: partner values may hold line breaks, and the UI's list shows one line per workflow. */
export function summaryLine(text: string): string {
  return cutToBytes(text.replace(/\s+/g, ' ').trim(), SUMMARY_MAX_BYTES);
}

/**
 * A heading and a two-column table of references. Values are shown as inline code,
 * so markdown a partner wrote into a reference is displayed, not rendered.
 */
export function detailsMarkdown(heading: string, rows: readonly DetailRow[]): string {
  const lines = [`**${heading}**`, '', '| reference | value |', '| --- | --- |', ...rows.map(([label, value]) => `| ${label} | ${cell(value)} |`)];
  return cutToBytes(lines.join('\n'), DETAILS_MAX_BYTES);
}

/** `a, b, c` for the details, the tail counted rather than listed once there are many. */
export function listOf(items: readonly string[]): string {
  const shown = items.slice(0, LIST_MAX_ITEMS).join(', ');
  return items.length > LIST_MAX_ITEMS ? `${shown} (+${items.length - LIST_MAX_ITEMS} more)` : shown;
}

/** `1 item`, `3 items`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function cell(value: DetailRow[1]): string {
  if (value === null || value === undefined || value === '') return '—';
  // A backtick would end the code span and a pipe the cell; line breaks end the row.
  const text = String(value).replace(/\s+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|');
  return `\`${text}\``;
}

function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let kept = '';
  let bytes = Buffer.byteLength('…');
  // By code point, so a cut never splits a character.
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    kept += ch;
  }
  return `${kept}…`;
}
