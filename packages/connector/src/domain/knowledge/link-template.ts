// The link a search result carries: the tenant's template (TenantSettings.knowledge.linkTemplate) filled with the
// article's values. The knowledge sync configures the template; search only fills it.

export interface LinkValues {
  urlName: string;
  articleNumber: string;
  articleId: string;
  language: string;
  /** the version id, when known */
  id: string | null;
  /** the org's instance URL, known after the first login */
  instanceUrl: string | null;
}

/** Builds a result's link from values; null when it cannot be built (a placeholder without a value). */
export type LinkTemplate = (values: LinkValues) => string | null;

const PLACEHOLDER = /\{(urlName|articleNumber|articleId|language|id|instanceUrl)\}/g;

/** A link template from text with `{urlName}`, `{articleNumber}`, `{articleId}`, `{language}`, `{id}`, `{instanceUrl}`. */
export function compileLinkTemplate(template: string): LinkTemplate {
  return (values) => {
    let missing = false;
    const link = template.replace(PLACEHOLDER, (_, name: keyof LinkValues) => {
      const value = values[name];
      if (value === null || value === '') {
        missing = true;
        return '';
      }
      // the instance URL is a URL prefix; every other value is one path segment
      return name === 'instanceUrl' ? value.replace(/\/+$/, '') : encodeURIComponent(value);
    });
    return missing ? null : link;
  };
}

/** The link by UrlName alone, when the tenant's template cannot be filled: `/articles/{language}/{urlName}`. */
export const linkByUrlName: LinkTemplate = compileLinkTemplate('/articles/{language}/{urlName}');

/** The tenant's template first, then the UrlName link. */
export function linkWithFallback(template: string): LinkTemplate {
  const primary = compileLinkTemplate(template);
  return (values) => primary(values) ?? linkByUrlName(values);
}
