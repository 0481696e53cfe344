// CSV as Bulk API 2.0 reads and writes it: RFC 4180 quoting, a chosen column delimiter and line ending.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_csv_preparing.htm

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';
export type LineEnding = 'LF' | 'CRLF';

export const COLUMN_DELIMITERS: Record<ColumnDelimiter, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export interface CsvFormat {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

export class CsvSyntaxError extends Error {}

/**
 * Rows of a CSV text. A quoted field may hold delimiters, quotes (doubled) and line breaks. Either line ending is
 * accepted on input; a trailing line break does not make an empty row.
 */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let i = 0;
  const endField = (): void => {
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field !== '' || wasQuoted)
        throw new CsvSyntaxError(`a quote inside an unquoted field on row ${rows.length + 1}`);
      quoted = true;
      wasQuoted = true;
      i += 1;
    } else if (c === delimiter) {
      endField();
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 2;
    } else if (c === '\n') {
      endRow();
      i += 1;
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new CsvSyntaxError('a quoted field is not closed');
  if (field !== '' || row.length > 0 || wasQuoted) endRow();
  return rows;
}

/** one field, always quoted, as Bulk API 2.0 writes query results (`"Id","Name"`) */
export const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;

/** rows as CSV text in `format`, every field quoted, every line (the last included) ended */
export function writeCsv(rows: string[][], format: CsvFormat): string {
  const delimiter = COLUMN_DELIMITERS[format.columnDelimiter];
  const eol = format.lineEnding === 'CRLF' ? '\r\n' : '\n';
  return rows.map((r) => r.map(quote).join(delimiter) + eol).join('');
}
