// A confirming dialog for actions that cannot be taken back (issue 32: "Release now" and
// "Lock down"): it names the consequence, and its safe choice, Cancel, has the focus, so a
// stray Enter or tap does nothing. A native modal <dialog>: Escape cancels, focus returns to
// the button that opened it.
import { html, render } from 'lit';

export interface Confirmation {
  title: string;          // "Release Reception now?"
  consequence: string;    // what happens, in plain words
  confirmLabel: string;   // "Release now"
  danger?: boolean;
}

let opened = 0;

export function confirmAction(c: Confirmation): Promise<boolean> {
  const host = document.createElement('div');
  document.body.append(host);
  const id = `confirm-${++opened}`;
  return new Promise<boolean>((resolve) => {
    const finish = (answer: boolean) => {
      const dialog = host.querySelector('dialog');
      if (dialog?.open) dialog.close();
      host.remove();
      resolve(answer);
    };
    render(html`<dialog class="confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby="${id}-title" aria-describedby="${id}-what"
        @cancel=${(e: Event) => { e.preventDefault(); finish(false); }}>
      <h2 id="${id}-title">${c.title}</h2>
      <p id="${id}-what">${c.consequence}</p>
      <div class="actions">
        <button type="button" class=${c.danger === false ? 'primary' : 'danger'} @click=${() => finish(true)}>${c.confirmLabel}</button>
        <button type="button" class="confirm-cancel" autofocus @click=${() => finish(false)}>Cancel</button>
      </div>
    </dialog>`, host);
    const dialog = host.querySelector('dialog')!;
    dialog.showModal();
    host.querySelector<HTMLButtonElement>('.confirm-cancel')?.focus();
  });
}
