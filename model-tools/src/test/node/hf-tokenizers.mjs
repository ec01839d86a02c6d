// Encodes and decodes texts with Hugging Face's official `tokenizers` library.
// usage: node hf-tokenizers.mjs TOKENIZER_JSON TEXTS_JSON   (TEXTS_JSON: a JSON array of strings)
// prints one JSON line: for each text its ids without and with special tokens, and their decodings.
import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

const [tokenizerFile, textsFile] = process.argv.slice(2);
const tokenizer = tokenizers.Tokenizer.fromFile(tokenizerFile);
const texts = JSON.parse(readFileSync(textsFile, 'utf8'));

const results = [];
for (const text of texts) {
  const ids = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
  const idsWithSpecial = (await tokenizer.encode(text, null, { addSpecialTokens: true })).getIds();
  results.push({
    ids,
    idsWithSpecial,
    decoded: await tokenizer.decode(ids, false),
    decodedWithSpecial: await tokenizer.decode(idsWithSpecial, false),
  });
}
console.log(JSON.stringify({ vocabSize: tokenizer.getVocabSize(true), results }));
