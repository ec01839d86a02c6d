// Drives LLM Serve's Batch API with the official `openai` npm client, unchanged: files.create,
// batches.create, batches.retrieve until the batch ends, files.content, and batches.list (which pages
// with `after`). Prints one JSON line with what each produced.
import OpenAI, { toFile } from 'openai';

const client = new OpenAI({ baseURL: process.env.LLMSERVE_BASE_URL, apiKey: 'unused', maxRetries: 0 });
const prompts = JSON.parse(process.env.LLMSERVE_PROMPTS);
const maxTokens = Number(process.env.LLMSERVE_MAX_TOKENS);
const jsonl = prompts.map((prompt, i) => JSON.stringify({
  custom_id: `node-${i}`,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model: 'brown-6m', messages: [{ role: 'user', content: prompt }], temperature: 0, max_tokens: maxTokens },
})).join('\n');

const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'batch.jsonl'), purpose: 'batch' });
let batch = await client.batches.create({
  input_file_id: file.id,
  endpoint: '/v1/chat/completions',
  completion_window: '24h',
  metadata: { suite: 'system-tests' },
});
const createdStatus = batch.status;
while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  batch = await client.batches.retrieve(batch.id);
}

const content = await client.files.content(batch.output_file_id);
const outputs = {};
for (const line of (await content.text()).split('\n').filter((l) => l.trim() !== '')) {
  const result = JSON.parse(line);
  outputs[result.custom_id] = result.response.body.choices[0].message.content;
}
const listed = [];
for await (const page of client.batches.list({ limit: 2 })) {
  listed.push(page.id);
  if (listed.length >= 6) break;
}

console.log(JSON.stringify({
  filePurpose: file.purpose,
  fileBytes: file.bytes,
  createdStatus,
  status: batch.status,
  counts: batch.request_counts,
  metadata: batch.metadata,
  outputs,
  listed: listed.includes(batch.id),
}));
