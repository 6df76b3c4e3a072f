import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TokenPrompt } from '../admin.ts';

/** Asks for the admin token when the server refused a change without (or with a wrong) one. */
export function TokenDialog({ prompt }: { prompt: TokenPrompt }) {
  const [request, setRequest] = useState(prompt.current());
  const [value, setValue] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => prompt.listen(setRequest), [prompt]);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) {
      setValue('');
      element.showModal();
    } else if (!request && element.open) {
      element.close();
    }
  }, [request]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    request?.answer(value.trim() || null);
  };
  const cancel = (event: Event) => {
    event.preventDefault();
    request?.answer(null);
  };
  return html`<dialog ref=${dialog} class="token-dialog" aria-labelledby="token-title" onCancel=${cancel}>
    <form onSubmit=${submit}>
      <h2 id="token-title">Admin token needed</h2>
      <p class="refusal">${request?.refusal}</p>
      <label for="admin-token">Admin token (the server's ADMIN_TOKEN)</label>
      <input
        id="admin-token"
        type="password"
        autocomplete="off"
        required
        value=${value}
        onInput=${(e: Event) => setValue((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint">Kept in this browser tab only, until it is closed.</p>
      <div class="actions">
        <button type="button" onClick=${cancel}>Cancel</button>
        <button type="submit" class="primary">Use token</button>
      </div>
    </form>
  </dialog>`;
}
