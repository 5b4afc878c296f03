// CSV built in the browser from what the API returned (papaparse), with a
// UTF-8 byte-order mark so that Excel opens the Chinese text correctly,
// and formula-like cells (=, +, -, @, tab, carriage return) quoted with a
// leading ' (OWASP CSV injection), as the server's own CSV does.
import Papa from 'papaparse';

export type Cell = string | number | boolean | null | undefined;

export function csvText(header: string[], rows: Cell[][]): string {
  const data = rows.map((r) => r.map((c) => (c == null ? '' : c)));
  return '\uFEFF' + Papa.unparse({ fields: header, data }, { newline: '\r\n', escapeFormulae: true });
}

/** Saves text as a file through the browser's download (no server round trip). */
export function downloadText(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
