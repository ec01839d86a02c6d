// The chat page: sends the conversation to /v1/chat/completions, streams the reply into the view,
// and lets Stop abort it (the gateway then cancels the request in the scheduler).
import { listModels, streamChat } from './api.js';
import { Conversation } from './conversation.js';
import { readSettings, SettingsError } from './settings.js';
import { ReplyTimer } from './stats.js';

const $ = (id) => document.getElementById(id);
const conversation = new Conversation($('conversation'));
/** The turns sent with the next message: finished (or stopped) exchanges only. */
let history = [];
/** The AbortController of the reply being streamed, if one is. */
let running = null;

if (matchMedia('(min-width: 900px)').matches) $('settings').open = true;
$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});
$('prompt').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});
$('stop').addEventListener('click', () => running?.abort());
$('new-chat').addEventListener('click', () => {
  running?.abort();
  history = [];
  conversation.clear();
  $('prompt').focus();
});
loadModels();

async function loadModels() {
  try {
    const models = await listModels();
    for (const model of models) {
      const option = document.createElement('option');
      option.value = model.id;
      option.textContent = model.max_model_len ? `${model.id} (context ${model.max_model_len})` : model.id;
      $('model').append(option);
    }
    if (models.length === 0) conversation.addError('The server lists no model.');
  } catch (e) {
    conversation.addError(`Could not load the models: ${e.message}`);
  }
}

async function send() {
  const text = $('prompt').value;
  if (running || text.trim() === '') return;
  let settings;
  try {
    settings = readSettings(document);
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    conversation.addError(`Settings: ${e.message}`);
    return;
  }
  const model = $('model').value;
  if (!model) {
    conversation.addError('No model to send to: the model list did not load.');
    return;
  }
  $('prompt').value = '';
  conversation.addUser(text);
  const turn = { role: 'user', content: text };
  const system = settings.system ? [{ role: 'system', content: settings.system }] : [];
  const reply = conversation.addReply();
  const timer = new ReplyTimer();
  const controller = new AbortController();
  setRunning(controller);
  let usage = null;
  try {
    await streamChat({ ...settings.parameters, model, messages: [...system, ...history, turn] }, controller.signal,
      (chunk) => {
        if (chunk.usage) usage = chunk.usage;
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          timer.token();
          reply.append(delta);
        }
      });
    reply.finish(timer.summary(usage));
    remember(turn, reply);
  } catch (e) {
    if (e.name === 'AbortError') {
      reply.stop(timer.summary(null));
      remember(turn, reply);
    } else {
      // the failed turn stays on screen but is not sent again
      reply.fail(e.message);
    }
  } finally {
    setRunning(null);
  }
}

/** A reply cleared by New chat while it streamed is not part of the new conversation. */
function remember(turn, reply) {
  if (reply.text && reply.element.isConnected) history.push(turn, { role: 'assistant', content: reply.text });
}

function setRunning(controller) {
  running = controller;
  $('send').disabled = controller !== null;
  $('stop').disabled = controller === null;
}
