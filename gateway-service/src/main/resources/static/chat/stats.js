// What the page reports under a reply: time to first token, decode speed and, when the request
// speculated, how many of the draft model's tokens the target accepted.

export class ReplyTimer {
  constructor(now = performance.now()) {
    this.sentAt = now;
    this.firstTokenAt = null;
    this.lastTokenAt = null;
  }

  /** Text arrived (a chunk may carry several tokens when a verification accepted a run). */
  token(now = performance.now()) {
    this.firstTokenAt ??= now;
    this.lastTokenAt = now;
  }

  /**
   * tokensPerSecond: the tokens after the first over the time after the first (the decode rate, so
   * the queueing and prefill that TTFT shows are not counted twice); null without usage (a stopped
   * reply has none) or with a single token.
   */
  summary(usage) {
    const ttftMs = this.firstTokenAt === null ? null : this.firstTokenAt - this.sentAt;
    const completionTokens = usage?.completion_tokens ?? null;
    const decodeSeconds = (this.lastTokenAt - this.firstTokenAt) / 1000;
    const tokensPerSecond = completionTokens > 1 && decodeSeconds > 0
      ? (completionTokens - 1) / decodeSeconds : null;
    const details = usage?.completion_tokens_details;
    const accepted = details?.accepted_prediction_tokens;
    const proposed = accepted === undefined ? 0 : accepted + details.rejected_prediction_tokens;
    const acceptance = proposed > 0 ? { accepted, proposed, rate: accepted / proposed } : null;
    return { ttftMs, completionTokens, tokensPerSecond, acceptance };
  }
}

/** One line such as "TTFT 41 ms · 212.4 tokens/s · 40 tokens · draft acceptance 97% (35/36)". */
export function describe(summary) {
  const parts = [];
  if (summary.ttftMs !== null) parts.push(`TTFT ${Math.round(summary.ttftMs)} ms`);
  if (summary.tokensPerSecond !== null) parts.push(`${summary.tokensPerSecond.toFixed(1)} tokens/s`);
  if (summary.completionTokens !== null) parts.push(`${summary.completionTokens} tokens`);
  if (summary.acceptance) {
    const { accepted, proposed, rate } = summary.acceptance;
    parts.push(`draft acceptance ${Math.round(rate * 100)}% (${accepted}/${proposed})`);
  }
  return parts.join(' · ');
}
