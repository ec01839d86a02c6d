// A small Markdown subset rendered to DOM nodes. Text only ever enters the page as text nodes
// (textContent, append(string)), never as HTML, so model output cannot inject markup or script.
// Blocks: fenced code, headings, block quotes, lists, rules, paragraphs. Inline: `code`, **bold**,
// *italic*. Links and raw HTML are shown as the text they are.

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const INLINE = /(`+)([^`][\s\S]*?)\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|\*(?=[^\s*])([\s\S]*?[^\s*])\*/g;

/** The text as a fragment of block elements. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
    } else if (FENCE.test(line)) {
      i = codeBlock(lines, i, fragment);
    } else if (HEADING.test(line)) {
      const [, hashes, title] = line.match(HEADING);
      fragment.append(inline(element(`h${Math.min(6, hashes.length + 2)}`), title));
      i++;
    } else if (RULE.test(line)) {
      fragment.append(element('hr'));
      i++;
    } else if (QUOTE.test(line)) {
      const quoted = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) quoted.push(lines[i].match(QUOTE)[1]);
      const quote = element('blockquote');
      quote.append(renderMarkdown(quoted.join('\n')));
      fragment.append(quote);
    } else if (ITEM.test(line)) {
      i = list(lines, i, fragment);
    } else {
      const paragraph = [];
      for (; i < lines.length && lines[i].trim() !== '' && !startsBlock(lines[i]); i++) paragraph.push(lines[i]);
      fragment.append(inline(element('p'), paragraph.join('\n')));
    }
  }
  return fragment;
}

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

/** A fenced block up to its closing fence, or to the end while the reply is still streaming. */
function codeBlock(lines, start, fragment) {
  const [, fence, language] = lines[start].match(FENCE);
  const body = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const closing = lines[i].trim();
    if (closing.length >= fence.length && closing === fence[0].repeat(closing.length)) {
      i++;
      break;
    }
    body.push(lines[i]);
  }
  const pre = element('pre');
  const code = element('code');
  code.textContent = body.join('\n');
  if (language) code.dataset.language = language;
  pre.append(code);
  fragment.append(pre);
  return i;
}

/** Consecutive items of one kind; an indented line continues the item above it. */
function list(lines, start, fragment) {
  const first = lines[start].match(ITEM)[1];
  const ordered = /\d/.test(first);
  const items = [];
  let i = start;
  for (; i < lines.length; i++) {
    const match = lines[i].match(ITEM);
    if (match && /\d/.test(match[1]) === ordered) {
      items.push([match[2]]);
    } else if (/^\s{2,}\S/.test(lines[i])) {
      items[items.length - 1].push(lines[i].trim());
    } else {
      break;
    }
  }
  const listElement = element(ordered ? 'ol' : 'ul');
  if (ordered) listElement.start = parseInt(first, 10);
  for (const item of items) listElement.append(inline(element('li'), item.join('\n')));
  fragment.append(listElement);
  return i;
}

/** Appends text with its inline code, bold and italics to parent; append(string) makes text nodes. */
function inline(parent, text) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    parent.append(text.slice(last, match.index));
    const [, ticks, code, bold, italic] = match;
    if (ticks) {
      const codeElement = element('code');
      codeElement.textContent = code.replace(/^ (.*) $/s, '$1');
      parent.append(codeElement);
    } else {
      parent.append(inline(element(bold !== undefined ? 'strong' : 'em'), bold ?? italic));
    }
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
  return parent;
}

function element(tag) {
  return document.createElement(tag);
}
