// Drives LLM Serve with the official `openai` npm client, unchanged: a raw streaming create() and
// the chat.completions.stream() helper. Prints one JSON line with what each produced.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.LLMSERVE_BASE_URL, apiKey: 'unused', maxRetries: 0 });
const request = {
  model: 'brown-6m',
  messages: [{ role: 'user', content: process.env.LLMSERVE_PROMPT }],
  temperature: 0,
  max_tokens: Number(process.env.LLMSERVE_MAX_TOKENS),
};

let created = '';
let finishReason = null;
const stream = await client.chat.completions.create({ ...request, stream: true });
for await (const chunk of stream) {
  const choice = chunk.choices[0];
  if (choice?.delta?.content) created += choice.delta.content;
  if (choice?.finish_reason) finishReason = choice.finish_reason;
}

const helper = client.chat.completions.stream(request);
let helperDeltas = '';
helper.on('content', (delta) => { helperDeltas += delta; });
const final = await helper.finalChatCompletion();

console.log(JSON.stringify({
  created,
  finishReason,
  helperDeltas,
  helperFinal: final.choices[0].message.content,
  helperFinishReason: final.choices[0].finish_reason,
}));
