// The gateway's OpenAI-compatible API, as the page uses it.
import { sseData } from './sse.js';

/** An API answer that is an OpenAI-style error ({"error":{"message",…}}) or no answer at all. */
class ApiError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The served models: [{id, max_model_len, …}]. */
export async function listModels() {
  const response = await send('/v1/models', { headers: { Accept: 'application/json' } });
  return (await response.json()).data;
}

/**
 * Streams a chat completion: calls onChunk with each parsed chunk until [DONE]. Aborting the signal
 * ends the fetch, which closes the connection, and the gateway then cancels the request.
 */
export async function streamChat(body, signal, onChunk) {
  const response = await send('/v1/chat/completions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
    signal,
  });
  for await (const data of sseData(response.body)) {
    if (data === '[DONE]') return;
    const chunk = JSON.parse(data);
    if (chunk.error) throw new ApiError(`Error: ${chunk.error.message ?? 'the server failed'}`);
    onChunk(chunk);
  }
  throw new ApiError('Error: the stream ended before it was complete');
}

async function send(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(`Could not reach the server (${e.message})`);
  }
  if (!response.ok) throw new ApiError(await errorMessage(response));
  return response;
}

async function errorMessage(response) {
  const text = await response.text();
  try {
    const message = JSON.parse(text).error?.message;
    if (message) return `Error ${response.status}: ${message}`;
  } catch {
    // not JSON: fall through to the status line
  }
  return `Error ${response.status} ${response.statusText}`.trim();
}
