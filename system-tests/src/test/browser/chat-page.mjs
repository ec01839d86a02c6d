// Drives the gateway's chat page in Debian's headless chromium with playwright-core and prints one
// JSON line of what it observed; ChatPageBrowserTest (JUnit) makes the assertions.
// Usage: node chat-page.mjs <stream|stop|seeds|controls|xss|error|phone>
// Environment: LLMSERVE_GATEWAY_URL, LLMSERVE_BATCHING_URL, CHROMIUM (default /usr/bin/chromium),
// LLMSERVE_SCREENSHOT_DIR (where stream and phone save their screenshots).
import { chromium } from 'playwright-core';

const gateway = process.env.LLMSERVE_GATEWAY_URL;
const batching = process.env.LLMSERVE_BATCHING_URL;
const screenshots = process.env.LLMSERVE_SCREENSHOT_DIR;
const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

const scenarios = { stream, stop, seeds, controls, xss, error, phone };
const scenario = scenarios[process.argv[2]];
if (!scenario) {
  console.error(`unknown scenario ${process.argv[2]}; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking'],
});
try {
  const context = await browser.newContext(process.argv[2] === 'phone' ? PHONE : DESKTOP);
  const page = await context.newPage();
  const problems = { pageErrors: [], consoleErrors: [], dialogs: [], failedRequests: [] };
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.consoleErrors.push(m.text()));
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    d.dismiss();
  });
  const requests = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/v1/chat/completions')
    && requests.push(r.postDataJSON()));
  await page.addInitScript(() => {
    window.lastReplyElement = () => {
      const replies = document.querySelectorAll('.message.assistant');
      return replies[replies.length - 1];
    };
  });
  page.on('requestfailed', (r) => problems.failedRequests.push(`${r.url()} ${r.failure()?.errorText}`));
  await page.goto(`${gateway}/`);
  await page.waitForSelector('#model option', { state: 'attached' });
  let observed;
  try {
    observed = await scenario(page);
  } catch (e) {
    // what the page showed when the scenario failed, for the test's failure message
    const conversation = await page.evaluate(() => document.getElementById('conversation').outerHTML)
      .catch((failure) => `(unreadable: ${failure.message})`);
    const server = await diagnostics();
    console.error(JSON.stringify({ conversation, requests, ...problems, server }));
    throw e;
  }
  console.log(JSON.stringify({ ...observed, requests, ...problems }));
} finally {
  await browser.close();
}

/** Type a prompt, watch the reply grow, read the figures under it, save a screenshot. */
async function stream(page) {
  await fill(page, { temperature: '0', 'max-tokens': '100' });
  const snapshots = await sendAndWatch(page, 'Tell me a story about a cat.');
  const reply = await lastReply(page);
  await page.screenshot({ path: `${screenshots}/chat-page.png`, fullPage: true });
  return { snapshots, reply };
}

/** Stop mid-reply: the reply ends as stopped and the scheduler's running count falls to zero. */
async function stop(page) {
  await fill(page, { temperature: '0', 'max-tokens': '450' });
  await send(page, 'Tell me a long story.');
  await page.waitForFunction(() => lastReplyElement()?.querySelector('.content').textContent.length > 0,
    null, { polling: 20 });
  const runningAtStop = await metric('llmserve_requests_running');
  await page.click('#stop');
  const textAtStop = (await lastReply(page)).text;
  const stoppedAt = Date.now();
  let idleAfterMs = null;
  while (Date.now() - stoppedAt < 5000) {
    if (await metric('llmserve_requests_running') === 0) {
      idleAfterMs = Date.now() - stoppedAt;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await page.waitForTimeout(500);
  return {
    runningAtStop,
    idleAfterMs,
    textAtStop,
    reply: await lastReply(page),
    sendEnabled: await page.isEnabled('#send'),
    stopEnabled: await page.isEnabled('#stop'),
  };
}

/** The same seed at temperature 1 gives the same reply; another seed another one. */
async function seeds(page) {
  const replies = [];
  for (const seed of ['7', '7', '8']) {
    await page.click('#new-chat');
    await fill(page, { temperature: '1', seed, 'max-tokens': '40' });
    await sendAndWatch(page, 'Tell me a story about a dog.');
    replies.push((await lastReply(page)).text);
  }
  return { replies };
}

/** Every control becomes its request field; speculation off leaves no acceptance rate. */
async function controls(page) {
  await fill(page, {
    system: 'You tell short stories.', temperature: '0.7', 'top-p': '0.9', 'top-k': '40', 'min-p': '0.05',
    'max-tokens': '30', seed: '11',
  });
  await page.uncheck('#speculative');
  await sendAndWatch(page, 'Tell me a story about a fox.');
  const first = await lastReply(page);
  await sendAndWatch(page, 'And then?');
  return { first, second: await lastReply(page) };
}

/**
 * Markup in a reply stays text: the user's own message sent through the gateway, and a hostile
 * reply fed in pieces to the page's own reply view (brown-6m never writes HTML by itself).
 */
async function xss(page) {
  const typed = '<img src=x onerror="window.__xss=\'user\'"><script>window.__xss=\'user script\'</script> **hi**';
  await fill(page, { temperature: '0', 'max-tokens': '8' });
  await sendAndWatch(page, typed);
  const user = await page.locator('.message.user').last().textContent();
  const hostile = await page.evaluate(async () => {
    const { Conversation } = await import('/chat/conversation.js');
    const reply = new Conversation(document.getElementById('conversation')).addReply();
    for (const delta of ['Look: <img src=x one', 'rror="window.__xss=\'reply\'"> and <scr',
      'ipt>window.__xss=\'reply script\'</script>\n\n```html\n<script>window.__xss="code"</script>\n',
      '<img src=x onerror=alert(1)>\n```\n\n', '**bold** `<b>code</b>` [link](javascript:alert(2)) ',
      '<svg onload=alert(3)></svg><iframe src="javascript:alert(4)"></iframe>']) {
      reply.append(delta);
    }
    reply.finish({ ttftMs: 1, tokensPerSecond: null, completionTokens: null, acceptance: null });
    return reply.element.querySelector('.content').textContent;
  });
  await page.waitForTimeout(300); // an injected image's error event would have fired by now
  return {
    typed,
    user,
    hostile,
    injected: await page.evaluate(() => document.querySelectorAll(
      '#conversation img, #conversation script, #conversation svg, #conversation iframe, #conversation a').length),
    codeBlocks: await page.locator('#conversation pre code').allTextContents(),
    strong: await page.locator('#conversation .message.assistant strong').allTextContents(),
    xssFlag: await page.evaluate(() => window.__xss ?? null),
  };
}

/** An API error is a message in the conversation, and the page stays usable. */
async function error(page) {
  await fill(page, { 'max-tokens': '100000' });
  await sendAndWatch(page, 'Tell me a story.');
  const failed = await lastReply(page);
  await fill(page, { 'max-tokens': '10', temperature: '0' });
  await sendAndWatch(page, 'Tell me a story.');
  return { failed, after: await lastReply(page), messages: await page.locator('.message').count() };
}

/** At 375 px nothing is wider than the screen: settings open, a reply, long words and code. */
async function phone(page) {
  await page.click('#settings summary');
  await fill(page, { temperature: '0', 'max-tokens': '40' });
  await sendAndWatch(page, `A long word: ${'x'.repeat(120)}\n\`\`\`\n${'code '.repeat(30)}\n\`\`\``);
  const sent = await lastReply(page);
  await page.evaluate(async () => {
    const { Conversation } = await import('/chat/conversation.js');
    const reply = new Conversation(document.getElementById('conversation')).addReply();
    reply.append(`A reply with a long line of code:\n\n\`\`\`\n${'let x = 1; '.repeat(40)}\n\`\`\`\n\n${'y'.repeat(300)}`);
    reply.finish({ ttftMs: 1, tokensPerSecond: 2, completionTokens: 3, acceptance: null });
  });
  const withSettings = await page.evaluate(measureOverflow);
  await page.click('#settings summary');
  const withoutSettings = await page.evaluate(measureOverflow);
  await page.screenshot({ path: `${screenshots}/chat-page-phone.png` });
  return { layouts: [withSettings, withoutSettings], sent };
}

/** In the page: the viewport's width, the page's scroll widths and any element that sticks out. */
function measureOverflow() {
  const width = window.innerWidth;
  const selectors = ['header', '#settings', '#conversation', '.message', '#composer', '#prompt', '#send', '#stop',
    '#model', '#new-chat', 'input', 'textarea', 'pre'];
  const outside = [];
  for (const selector of selectors) {
    for (const e of document.querySelectorAll(selector)) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.left < -0.5 || r.right > width + 0.5)) outside.push(`${selector} [${r.left}, ${r.right}]`);
    }
  }
  return {
    width,
    documentScrollWidth: document.documentElement.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    outside,
  };
}

async function fill(page, fields) {
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
}

async function send(page, text) {
  await page.fill('#prompt', text);
  await page.press('#prompt', 'Enter');
}

/**
 * Sends and samples the reply's text every 5 ms until it ends: the texts seen, in order, each with
 * the time it was first seen. Installed before sending, so no token goes unobserved.
 */
async function sendAndWatch(page, text) {
  await page.evaluate(() => {
    const count = document.querySelectorAll('.message.assistant').length;
    const start = performance.now();
    const seen = [];
    window.__watch = { seen, done: false };
    const sampler = setInterval(() => {
      if (document.querySelectorAll('.message.assistant').length === count) return;
      const reply = lastReplyElement();
      const current = reply.querySelector('.content').innerText;
      if (current !== '' && (seen.length === 0 || seen[seen.length - 1].text !== current)) {
        seen.push({ ms: Math.round(performance.now() - start), text: current });
      }
      if (reply.dataset.state !== 'streaming') {
        clearInterval(sampler);
        window.__watch.done = true;
      }
    }, 5);
  });
  await send(page, text);
  await page.waitForFunction(() => window.__watch.done, null, { polling: 20, timeout: 60000 });
  return page.evaluate(() => window.__watch.seen);
}

/** The newest reply: its text as shown (innerText), state, figures line and the figures as numbers. */
async function lastReply(page) {
  return page.evaluate(() => {
    const reply = lastReplyElement();
    const stats = reply.querySelector('.stats');
    return {
      text: reply.querySelector('.content').innerText,
      state: reply.dataset.state,
      statsLine: stats.textContent,
      stats: { ...stats.dataset },
      error: reply.querySelector('.error-text')?.textContent ?? null,
    };
  });
}

/** What gateway and batching-service say about requests, when a scenario fails. */
async function diagnostics() {
  const lines = async (url, pattern) => {
    try {
      return (await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text()).split('\n')
        .filter((l) => pattern.test(l));
    } catch (e) {
      return [`${url}: ${e.message}`];
    }
  };
  return {
    gateway: await lines(`${gateway}/actuator/prometheus`, /^(llmserve_gateway|http_server_requests_seconds_count)/),
    batching: await lines(`${batching}/actuator/prometheus`, /^llmserve_requests_/),
  };
}

async function metric(name) {
  const body = await (await fetch(`${batching}/actuator/prometheus`)).text();
  const line = body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}
