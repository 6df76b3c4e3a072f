import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { adminTokenProblem } from '../../admin-token.ts';
import type { TokenPrompt } from '../admin.ts';

/**
 * Asks for the admin token when the server refused a change without (or with a wrong) one. The
 * field is emptied as the dialog closes, so the token is not left in the page; a question still
 * open when the operator goes to another page is cancelled, since the dialog would cover it.
 */
export function TokenDialog({ prompt }: { prompt: TokenPrompt }) {
  const [request, setRequest] = useState(prompt.current());
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => prompt.listen(setRequest), [prompt]);
  useEffect(() => {
    const leave = () => prompt.cancel();
    window.addEventListener('hashchange', leave);
    return () => window.removeEventListener('hashchange', leave);
  }, [prompt]);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) {
      setValue('');
      setProblem(null);
      opener.current = document.activeElement;
      element.showModal();
    } else if (!request && element.open) {
      setValue('');
      setProblem(null);
      element.close();
      // Back where the operator was (the Trigger button), if the browser did not put it there.
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected && document.activeElement !== back)
        back.focus();
    }
  }, [request]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const token = value.trim();
    const why = adminTokenProblem(token);
    if (why) {
      setProblem(why);
      return;
    }
    request?.answer(token);
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
        aria-invalid=${problem ? 'true' : undefined}
        aria-describedby=${problem ? 'token-problem' : undefined}
        value=${value}
        onInput=${(e: Event) => {
          setValue((e.currentTarget as HTMLInputElement).value);
          setProblem(null);
        }}
      />
      ${problem && html`<p id="token-problem" class="error" role="alert">${problem}</p>`}
      <p class="hint">Kept in this browser tab only, until it is closed.</p>
      <div class="actions">
        <button type="button" onClick=${cancel}>Cancel</button>
        <button type="submit" class="primary">Use token</button>
      </div>
    </form>
  </dialog>`;
}
