import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api';
import { LightElement } from '../base';
import { qrCode } from '../qr';

export interface BoxInfo {
  name: string;
  state: 'setup' | 'ok' | 'lockdown';
  host: string;
  url: string;
  addresses: string[];
  address_urls: string[];
  mdns: { state: 'published' | 'starting' | 'unavailable'; detail: string };
  box_id: string;
  ca_fingerprint: string;
  ca_certificate: string;
}

// Where this box is and how to be sure it is this box: its name on the network, its
// addresses, a QR code to open it on a tablet, and the fingerprint of its certificate
// authority to compare with the one the box prints and announces (issue 8). Shown on the
// setup page and the devices screen.
@customElement('nb-box-address')
export class BoxAddress extends LightElement {
  @state() private box: BoxInfo | null = null;
  @state() private error = '';

  connectedCallback(): void {
    super.connectedCallback();
    api<BoxInfo>('GET', '/box')
      .then((box) => { this.box = box; })
      .catch(() => { this.error = 'The box’s address could not be loaded. Reload the page to try again.'; });
  }

  render() {
    if (this.error) return html`<section class="panel box-address"><p class="warning">${this.error}</p></section>`;
    const b = this.box;
    if (!b) return html`<section class="panel box-address"><p role="status">Loading the box’s address…</p></section>`;
    const announced = b.mdns.state === 'published';
    return html`<section class="panel box-address" aria-labelledby="box-address-title">
      <h2 id="box-address-title">This box on your network</h2>
      <div class="box-address-grid">
        <div>
          <p>Open Nestbox on a tablet or computer at</p>
          <p class="address"><a href=${b.url} data-testid="box-url">${b.url}</a></p>
          ${b.address_urls.length
            ? html`<p class="hint">or by address, where names ending “.local” do not work:
                ${b.address_urls.map((u, i) => html`${i ? ', ' : ''}<a href=${u}>${u}</a>`)}</p>`
            : nothing}
          ${announced
            ? html`<p class="meta">Announced on the network as <strong>${b.name}</strong>.</p>`
            : html`<p class="warning" data-testid="mdns-warning">Not announced on the network
                (${b.mdns.state === 'starting' ? 'starting' : b.mdns.detail || 'unavailable'}): type the address above.</p>`}
        </div>
        ${qrCode(b.url, `QR code for ${b.url}`)}
      </div>
      <h3>Check it is your box</h3>
      <p>The first time a device connects, its browser asks whether to trust the box. Install the box’s certificate and
        compare this fingerprint with the one the box shows on its console at first start, or that
        <code>nestboxctl fingerprint</code> prints on the box:</p>
      <p class="fingerprint" aria-label="Certificate authority fingerprint (SHA-256)" data-testid="ca-fingerprint">${b.ca_fingerprint}</p>
      <p><a class="button" href=${b.ca_certificate} download="nestbox-ca.crt">Download the box’s certificate</a>
        <span class="meta">Box id ${b.box_id}</span></p>
    </section>`;
  }
}
