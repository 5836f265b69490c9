// A code someone reads out or types on another device (an enrolment code, a one-time password
// code, a certificate password): on one line, never broken inside a group, in a monospace
// font, with a Copy button whose outcome a screen reader hears ("Copied").

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from './base';

let serial = 0;

@customElement('nb-copy-code')
export class CopyCode extends LightElement {
  @property() code = '';
  // What the code is, for the button's name: "Copy enrolment code".
  @property() label = 'code';
  // A class for the code itself (tests and styles find it by "code-box").
  @property({ attribute: 'code-class' }) codeClass = 'code-box';
  @state() private status = '';
  private readonly codeId = `copy-code-${++serial}`;
  private timer = 0;

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
  }

  private say(text: string): void {
    this.status = text;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => { this.status = ''; }, 6000);
  }

  private selectCode(): void {
    const element = this.querySelector(`#${this.codeId}`);
    const selection = window.getSelection();
    if (!element || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  private async copy(): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(this.code);
      this.say('Copied');
    } catch {
      // No clipboard access (an old browser, or refused): select it for the person to copy.
      this.selectCode();
      this.say('Could not copy here: the code is selected, copy it with your keyboard or the menu.');
    }
  }

  render() {
    return html`<div class="copy-code">
      <span class=${this.codeClass} id=${this.codeId} translate="no">${this.code}</span>
      <button type="button" class="copy" @click=${() => this.copy()}>Copy<span class="visually-hidden"> ${this.label}</span></button>
      <span class="copy-status" role="status" aria-live="polite">${this.status || nothing}</span>
    </div>`;
  }
}
