// Text from the store or from Salesforce may hold terminal control sequences (a tenant named "\u001b]0;pwned\u0007"
// retitles the window; "\u001b[2J" clears it). Human output shows them as visible escapes instead.

// C0 and C1 controls but tab, and the bidirectional overrides that reorder what a reader sees (Trojan Source).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character but tab and newline shown as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
