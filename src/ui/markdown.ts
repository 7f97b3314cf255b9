// A lesson step's text, written by whoever wrote the scenario file, rendered as Markdown without trusting it:
// markdown-it with raw HTML off (every `<` in the text is escaped, so no tag, no script, no event handler reaches
// the page), images off (no request leaves the page for a lesson), and only http(s) and mailto links (no
// `javascript:`, `data:`, `vbscript:` or `file:`; a link markdown-it refuses stays plain text). markdown-it's own
// security notes: "By default markdown-it is safe ... html: false ... validateLink".
import MarkdownIt, { type MarkdownIt as Markdown } from 'markdown-it';

/** The only link schemes a lesson may use; a relative link would move the page's own `#lab=` hash. */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

function lessonMarkdown(): Markdown {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.disable('image');
  md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
  // Links open in a new tab, and the page they open gets no handle on this one.
  const link = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet('target', '_blank');
    tokens[idx]!.attrSet('rel', 'noopener noreferrer');
    return link ? link(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
  return md;
}

let shared: Markdown | undefined;

/** The HTML of a lesson step's Markdown text: safe to put in the page as it is. */
export function lessonHtml(markdown: string): string {
  shared ??= lessonMarkdown();
  return shared.render(markdown);
}
