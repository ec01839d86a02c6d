// The settings panel as request fields: an empty field is left out, so the model's defaults apply.

const NUMBERS = [
  ['temperature', 'temperature'],
  ['top-p', 'top_p'],
  ['top-k', 'top_k'],
  ['min-p', 'min_p'],
  ['max-tokens', 'max_tokens'],
  ['seed', 'seed'],
];

/** A field that does not hold a number. */
export class SettingsError extends Error {}

/** {system, parameters}; the gateway range-checks the values and its errors are shown as they come. */
export function readSettings(document) {
  const parameters = {};
  for (const [id, name] of NUMBERS) {
    const input = document.getElementById(id);
    if (input.validity.badInput) {
      throw new SettingsError(`${input.labels[0].textContent.trim()}: not a number`);
    }
    if (input.value.trim() !== '') parameters[name] = Number(input.value);
  }
  if (!document.getElementById('speculative').checked) parameters.speculative = false;
  return { system: document.getElementById('system').value.trim(), parameters };
}
