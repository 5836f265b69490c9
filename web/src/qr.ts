// QR codes drawn as inline SVG: no script, no image request, crisp at any size.
import { html, svg, type TemplateResult } from 'lit';
import qrcode from 'qrcode-generator';

export function qrCode(text: string, label: string): TemplateResult {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  const n = code.getModuleCount();
  let path = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (code.isDark(r, c)) path += `M${c + 4} ${r + 4}h1v1h-1z`;
  return html`<svg class="qr" viewBox="0 0 ${n + 8} ${n + 8}" role="img" aria-label=${label} data-text=${text}>
    ${svg`<rect width="100%" height="100%" fill="#fff"></rect><path d=${path} fill="#000"></path>`}</svg>`;
}
