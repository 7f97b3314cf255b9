// Lesson text is Markdown from a scenario file anyone can write: it renders its formatting and nothing else.
import { describe, expect, it } from 'vitest';
import { lessonHtml } from './markdown';

describe('lesson Markdown', () => {
  it('renders the formatting a lesson uses: paragraphs, lists, code, emphasis, links', () => {
    const html = lessonHtml(
      'Three conditions:\n\n1. PIM on `Tunnel10`\n2. **join** the group\n\nSee [RFC 6407](https://www.rfc-editor.org/rfc/rfc6407).',
    );
    expect(html).toContain('<ol>\n<li>PIM on <code>Tunnel10</code></li>');
    expect(html).toContain('<strong>join</strong>');
    expect(html).toContain(
      '<a href="https://www.rfc-editor.org/rfc/rfc6407" target="_blank" rel="noopener noreferrer">RFC 6407</a>',
    );
  });

  it('shows raw HTML as text: no tag, script or event handler reaches the page', () => {
    const html = lessonHtml(
      'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>\n\n<iframe src="https://evil.example"></iframe>',
    );
    expect(html).not.toMatch(/<(script|img|iframe|a)\b/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;iframe');
  });

  it('keeps javascript:, data:, vbscript:, file: and relative links as plain text, and loads no image', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java%0ascript:alert(1)',
      '&#106;avascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'data:image/png;base64,iVBORw0KGgo=',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '#lab=evil',
      '/elsewhere',
    ]) {
      const html = lessonHtml(`[click](${url}) and <${url}>`);
      expect(html, url).not.toContain('href');
    }
    const img = lessonHtml('![x](https://tracker.example/p.png) ![y](data:image/png;base64,AAAA)');
    expect(img).not.toMatch(/<img/i);
  });

  it('escapes attribute breakouts in a safe link', () => {
    const html = lessonHtml('[x](https://a.example/"onmouseover="alert(1))');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });
});
