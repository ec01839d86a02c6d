// The conversation view: user turns, streamed replies with their figures, and errors. Every text
// is set as text (textContent or rendered Markdown nodes), never parsed as HTML.
import { renderMarkdown } from './markdown.js';
import { describe } from './stats.js';

export class Conversation {
  constructor(element) {
    this.element = element;
  }

  clear() {
    this.element.replaceChildren();
  }

  addUser(text) {
    const message = this.#add('user');
    message.textContent = text;
    return message;
  }

  /** A reply to fill as its chunks arrive. */
  addReply() {
    return new Reply(this, this.#add('assistant'));
  }

  addError(text) {
    const message = this.#add('error');
    message.setAttribute('role', 'alert');
    message.textContent = text;
    return message;
  }

  #add(kind) {
    const message = document.createElement('article');
    message.className = `message ${kind}`;
    this.keepScrolled(() => this.element.append(message));
    return message;
  }

  /** Follows new text down unless the reader scrolled up to read. */
  keepScrolled(change) {
    const e = this.element;
    const atBottom = e.scrollHeight - e.scrollTop - e.clientHeight < 40;
    change();
    if (atBottom) e.scrollTop = e.scrollHeight;
  }
}

/** One streamed reply; data-state is streaming, done, stopped or error. */
export class Reply {
  constructor(conversation, element) {
    this.conversation = conversation;
    this.element = element;
    this.text = '';
    this.content = document.createElement('div');
    this.content.className = 'content';
    this.stats = document.createElement('div');
    this.stats.className = 'stats';
    this.stats.textContent = 'waiting for the first token…';
    element.dataset.state = 'streaming';
    element.append(this.content, this.stats);
  }

  append(delta) {
    this.text += delta;
    // tokenizers often start a reply with a space; it is kept in the text but not shown
    this.conversation.keepScrolled(() => this.content.replaceChildren(renderMarkdown(this.text.trimStart())));
    this.stats.textContent = 'generating…';
  }

  finish(summary) {
    this.#end('done', summary, describe(summary));
  }

  stop(summary) {
    this.#end('stopped', summary, ['stopped', describe(summary)].filter(Boolean).join(' · '));
  }

  fail(message) {
    const error = document.createElement('p');
    error.className = 'error-text';
    error.setAttribute('role', 'alert');
    error.textContent = message;
    this.conversation.keepScrolled(() => this.content.append(error));
    this.#end('error', null, '');
  }

  #end(state, summary, line) {
    this.element.dataset.state = state;
    this.stats.textContent = line;
    if (!summary) return;
    // the figures as numbers too, for scripts and tests
    const data = this.stats.dataset;
    if (summary.ttftMs !== null) data.ttftMs = summary.ttftMs.toFixed(1);
    if (summary.tokensPerSecond !== null) data.tokensPerSecond = summary.tokensPerSecond.toFixed(2);
    if (summary.completionTokens !== null) data.completionTokens = summary.completionTokens;
    if (summary.acceptance) data.acceptanceRate = summary.acceptance.rate.toFixed(4);
  }
}
