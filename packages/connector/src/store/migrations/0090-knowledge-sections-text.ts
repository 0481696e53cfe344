// Migration 0090: each knowledge article's clean sections, packed into one text as the search index reads them
// (written by the search service beside the body HTML). A rebuild after a restart reads this instead of the HTML, so
// it parses no HTML: parsing was about a sixth of a rebuild's CPU at 100,000 articles. Rows written before this
// migration, or by an older parser (the text starts with the parser's version), are parsed from body_html as before.

export const sql = `
ALTER TABLE knowledge_articles ADD COLUMN sections_text text;
`;
