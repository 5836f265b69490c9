// TEST-ONLY client for tests/remote/proof.mjs: connects to HOST:PORT, sends a PROXY protocol v1
// header that claims to come from CLAIMED_ADDRESS (what a LAN device, or the relay, could
// write), then speaks TLS with SNI NAME (any certificate accepted: the test is about who the
// box believes, not about trust) and prints the HTTP response. curl cannot forge the
// header's address (curl 7.88 has --haproxy-protocol with the real addresses only).
//
//   node forged-proxy-client.mjs HOST PORT NAME CLAIMED_ADDRESS

import net from 'node:net';
import tls from 'node:tls';

const [host, port, name, claimed] = process.argv.slice(2);
const socket = net.connect({ host, port: Number(port) }, () => {
  socket.write(`PROXY TCP4 ${claimed} ${host} 40000 ${port}\r\n`);
  const secure = tls.connect({ socket, servername: name, rejectUnauthorized: false }, () => {
    secure.write(`GET / HTTP/1.1\r\nHost: ${name}\r\nConnection: close\r\n\r\n`);
  });
  let response = '';
  secure.on('data', (d) => (response += d));
  secure.on('end', () => {
    process.stdout.write(response);
    process.exit(0);
  });
  secure.on('error', (e) => {
    process.stderr.write(`tls: ${e.message}\n`);
    process.exit(2);
  });
});
socket.on('error', (e) => {
  process.stderr.write(`tcp: ${e.message}\n`);
  process.exit(3);
});
socket.setTimeout(10000, () => {
  process.stderr.write('timeout\n');
  process.exit(4);
});
