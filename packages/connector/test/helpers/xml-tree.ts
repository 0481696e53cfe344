// A strict little XML reader for tests: rejects anything not well-formed (unbalanced or crossed tags, raw '<' or
// stray '&' in text, text outside the root) and returns a tree to look fields up in. Enough for Metadata API files.

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#?\w+);/g, (whole, name: string) => {
    if (name.startsWith('#'))
      return String.fromCodePoint(Number(name.startsWith('#x') ? `0x${name.slice(2)}` : name.slice(1)));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

export function parseXml(source: string): XmlNode {
  const body = source.replace(/^\uFEFF?<\?xml[^?]*\?>\s*/, '');
  const token =
    /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let at = 0;
  const text = (raw: string): void => {
    if (/[<]/.test(raw) || /&(?!#?\w+;)/.test(raw))
      throw new Error(`bad character in text near "${raw.slice(0, 20)}"`);
    const top = stack.at(-1);
    if (!top) {
      if (raw.trim() !== '') throw new Error('text outside the root element');
      return;
    }
    top.text += decode(raw);
  };
  for (const match of body.matchAll(token)) {
    text(body.slice(at, match.index));
    at = (match.index ?? 0) + match[0].length;
    if (match[0].startsWith('<!--')) continue;
    const [, closing, name = '', attrs = '', selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attr of attrs.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes[attr[1] ?? ''] = decode(attr[2] ?? attr[3] ?? '');
    }
    const node: XmlNode = { name, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else if (root) throw new Error('more than one root element');
    else root = node;
    if (!selfClosing) stack.push(node);
  }
  text(body.slice(at));
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name ?? ''}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Children named `name`. */
export function all(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((child) => child.name === name);
}

/** The text of the only child named `name` (throws if there is not exactly one). */
export function textOf(node: XmlNode, name: string): string {
  const found = all(node, name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${node.name}>, found ${found.length}`);
  return found[0]?.text ?? '';
}
