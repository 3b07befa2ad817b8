/** The auto-escaping template helper (pure). */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join, query, trusted } from '../../src/ui/html.js';

describe('html``', () => {
  it('escapes every interpolation', () => {
    const evil = `<script>alert("x")</script>' onmouseover='x' \`&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &#96;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &#96;&amp;</p>',
    );
  });
  it('keeps nested templates and trusted fragments, escapes arrays item by item', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<div>${inner}${trusted('<hr>')}${['<a>', html`<br>`]}</div>`.value).toBe('<div><b>&lt;i&gt;</b><hr>&lt;a&gt;<br></div>');
  });
  it('renders null, undefined and false as nothing, numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${1.5}`.value).toBe('01.5');
  });
  it('a string that looks like a SafeHtml is still escaped', () => {
    expect(html`${{ value: '<x>' } as unknown as string}`.value).toBe('[object Object]');
    expect(escapeHtml('<x>')).toBe('&lt;x&gt;');
  });
  it('join and query', () => {
    expect(join(['<a>', html`<b>`], ' & ').value).toBe('&lt;a&gt; &amp; <b>');
    expect(query({ q: 'a b&c', owner: '', offset: 0, kind: undefined })).toBe('?q=a%20b%26c&offset=0');
  });
});
