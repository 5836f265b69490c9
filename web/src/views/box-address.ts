import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
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

// One request for the page, however many panels show the box.
let boxRequest: Promise<BoxInfo> | null = null;
function loadBox(): Promise<BoxInfo> {
  boxRequest ??= api<BoxInfo>('GET', '/box');
  boxRequest.catch(() => { boxRequest = null; });
  return boxRequest;
}

// An address a person can type: IPv4 (no IPv6 link-local brackets and zone ids).
function plainAddressUrl(b: BoxInfo): string | null {
  return b.address_urls.find((u) => !u.includes('[')) ?? null;
}

// Both views read the box's public facts once (GET /api/v1/box) and say so when they cannot.
abstract class BoxInfoElement extends LightElement {
  @state() protected box: BoxInfo | null = null;
  @state() protected error = '';
  protected abstract readonly failure: string;

  connectedCallback(): void {
    super.connectedCallback();
    loadBox()
      .then((box) => { this.box = box; })
      .catch(() => { this.error = this.failure; });
  }
}

// Where to open Nestbox on a tablet, for the people setting one up: the address and a QR code
// to scan. The network's details (mDNS, every address, the certificate's fingerprint) are for
// IT support, in <nb-box-details> on the IT details page (issue 16).
@customElement('nb-box-address')
export class BoxAddress extends BoxInfoElement {
  // Managers get a link to the IT details page.
  @property({ type: Boolean, attribute: 'it-link' }) itLink = false;
  protected readonly failure = 'The box’s address could not be loaded. Reload the page to try again.';

  render() {
    if (this.error) return html`<section class="panel box-address"><p class="warning">${this.error}</p></section>`;
    const b = this.box;
    if (!b) return html`<section class="panel box-address"><p role="status">Loading the box’s address…</p></section>`;
    const fallback = b.mdns.state === 'published' ? null : plainAddressUrl(b);
    return html`<section class="panel box-address" aria-labelledby="box-address-title">
      <h2 id="box-address-title">Open Nestbox on a tablet</h2>
      <div class="box-address-grid">
        <div>
          <p>Type this address in the tablet’s browser, or scan the QR code with its camera:</p>
          <p class="address"><a href=${b.url} data-testid="box-url">${b.url}</a></p>
          ${fallback ? html`<p>If that address does not open, use <a href=${fallback} class="address-fallback">${fallback}</a>.</p>` : nothing}
          ${this.itLink ? html`<p class="meta">For IT support: <a href="/manage/it">IT details</a> (network addresses and
            the box’s certificate).</p>` : nothing}
        </div>
        ${qrCode(b.url, `QR code for ${b.url}`)}
      </div>
    </section>`;
  }
}

// For IT support: how the box is announced and reached, and how to check a device is talking
// to this box (its certificate authority's fingerprint, issue 8). On the IT details page, and
// folded away on the setup page.
@customElement('nb-box-details')
export class BoxDetails extends BoxInfoElement {
  protected readonly failure = 'The box’s details could not be loaded. Reload the page to try again.';

  render() {
    if (this.error) return html`<p class="warning">${this.error}</p>`;
    const b = this.box;
    if (!b) return html`<p role="status">Loading the box’s details…</p>`;
    const announced = b.mdns.state === 'published';
    return html`<div class="box-details">
      <h3>On the network</h3>
      <dl class="facts">
        <dt>Address</dt><dd><a href=${b.url} data-testid="box-url">${b.url}</a></dd>
        <dt>Host name</dt><dd>${b.host}</dd>
        <dt>mDNS (Avahi)</dt><dd>${announced
          ? html`Announced as <strong>${b.name}</strong> (<code>_https._tcp</code>, <code>_nestbox._tcp</code>)`
          : html`<span class="warning" data-testid="mdns-warning">Not announced on the network
              (${b.mdns.state === 'starting' ? 'starting' : b.mdns.detail || 'unavailable'}): devices must use an address below.</span>`}</dd>
        <dt>IP addresses</dt><dd>${b.addresses.length ? b.addresses.join(', ') : 'none found'}</dd>
        ${b.address_urls.length ? html`<dt>Open by address</dt><dd><ul class="plain">
          ${b.address_urls.map((u) => html`<li><a href=${u}>${u}</a></li>`)}</ul></dd>` : nothing}
      </dl>
      <h3>Check it is your box</h3>
      <p>The first time a device connects, its browser asks whether to trust the box. Install the box’s certificate and
        compare this fingerprint with the one the box shows on its console at first start, or that
        <code>nestboxctl fingerprint</code> prints on the box:</p>
      <p class="fingerprint"><span class="visually-hidden">Certificate authority fingerprint (SHA-256): </span><span
        data-testid="ca-fingerprint">${b.ca_fingerprint}</span></p>
      <p><a class="button" href=${b.ca_certificate} download="nestbox-ca.crt">Download the box’s certificate</a></p>
      <p class="meta">Box id ${b.box_id}</p>
    </div>`;
  }
}
