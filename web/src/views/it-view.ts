import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { humanMomentInText } from '../dates';
import { LightElement, pageTitle } from '../base';
import './box-address';

interface DeviceNetwork {
  id: string;
  name: string;
  state: 'pending' | 'active' | 'revoked';
  last_seen_at: string | null;
  last_address: string | null;
  has_certificate: boolean;
}

const STATE_LABEL = { pending: 'Waiting for enrolment', active: 'Active', revoked: 'Revoked' };

// /manage/it: the technical side, for whoever looks after the setting's network — how the box
// is announced and reached, its certificate authority, and where each tablet last connected
// from. Everyone else's screens (Devices, setup) show only the address to open (issue 16).
@customElement('nb-it-view')
export class ItView extends LightElement {
  @state() private devices: DeviceNetwork[] | null = null;
  @state() private error = '';

  connectedCallback(): void {
    super.connectedCallback();
    api<{ devices: DeviceNetwork[] }>('GET', '/devices')
      .then(({ devices }) => { this.devices = devices; })
      .catch((e) => { this.error = e instanceof Error ? e.message : String(e); });
  }

  render() {
    pageTitle('IT details');
    return html`<section>
      <p><a href="/devices">← Devices</a></p>
      <h1>IT details</h1>
      <p class="lead">For whoever looks after the setting’s network: how devices find the box, and how to check they are
        talking to this box.</p>
      <section class="panel" aria-labelledby="it-box-title">
        <h2 id="it-box-title">The box</h2>
        <nb-box-details></nb-box-details>
      </section>
      <section class="panel" aria-labelledby="it-devices-title">
        <h2 id="it-devices-title">Tablets on the network</h2>
        ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>`
          : this.devices === null ? html`<p role="status">Loading…</p>`
          : this.devices.length === 0 ? html`<p>No tablets registered yet.</p>`
          : html`<ul class="plain it-devices">${this.devices.map((d) => html`<li>
              <span class="card-title" dir="auto">${d.name}</span>
              <p class="meta">${STATE_LABEL[d.state]} · last address ${d.last_address ?? 'none yet'}
                · last seen ${d.last_seen_at ? humanMomentInText(d.last_seen_at) : 'never'}
                · ${d.has_certificate ? 'MDM client certificate issued' : 'browser key (no MDM certificate)'}</p></li>`)}</ul>`}
        <p class="hint">Tablets register with a key their browser keeps, or with a client certificate from your
          device-management (MDM) system: “More…” on a tablet on the Devices page issues one.</p>
      </section>
    </section>`;
  }
}
