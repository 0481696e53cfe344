// A tiny XML writer for Metadata API source files: elements, escaped text, four-space indents, nothing else.

export type XmlChild = XmlElement | null | false | undefined;

export interface XmlElement {
  name: string;
  text?: string;
  children?: XmlChild[];
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `el('label', 'x')` is a text element; `el('oauthConfig', [ ... ])` holds children (falsy ones are skipped). */
export function el(name: string, content: string | boolean | number | XmlChild[]): XmlElement {
  return Array.isArray(content) ? { name, children: content } : { name, text: String(content) };
}

function render(element: XmlElement, depth: number): string {
  const pad = '    '.repeat(depth);
  if (element.children === undefined)
    return `${pad}<${element.name}>${escapeXml(element.text ?? '')}</${element.name}>`;
  const inner = element.children
    .filter((child): child is XmlElement => Boolean(child))
    .map((child) => render(child, depth + 1));
  return `${pad}<${element.name}>\n${inner.join('\n')}\n${pad}</${element.name}>`;
}

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/** A metadata file: declaration, the root element in the Metadata API namespace, a final newline. */
export function metadataDocument(rootName: string, children: XmlChild[]): string {
  const body = children
    .filter((child): child is XmlElement => Boolean(child))
    .map((child) => render(child, 1));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName} xmlns="${METADATA_NAMESPACE}">\n${body.join('\n')}\n</${rootName}>\n`;
}
