// TLS on loopback for tests of `https://` endpoints: a certificate authority of the test's own
// (trusted by a process through `SSL_CERT_FILE`, as an operator's private CA would be), a
// certificate it issued for 127.0.0.1, and TLS in front of a plain-HTTP node.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

import { pipeOn } from './bridge.mjs';

/** A fresh CA and a server certificate it signed for IP 127.0.0.1 (openssl, one day).
 * Returns { caFile (the CA's PEM, for SSL_CERT_FILE), key, cert, remove() }. */
export function testCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-tls-'));
  const file = (name) => join(dir, name);
  const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1',
    '-subj', '/CN=Kasane e2e test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('server.ext'), [
    'subjectAltName=IP:127.0.0.1',
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
  ].join('\n'));
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('server.ext'));
  return {
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key')),
    cert: readFileSync(file('server.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** TLS on loopback in front of the plain TCP service at `target` (an `http://` URL): each
 * connection is decrypted and piped on, as a hosted endpoint terminates TLS. Returns { url
 * (`https://`), connections(), stop() }. */
export async function tlsFront(target, { key, cert }) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  const server = tls.createServer({ key, cert }, (client) => pipeOn(client, hostname, port, sockets));
  let connections = 0;
  server.on('secureConnection', () => { connections += 1; });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${server.address().port}`,
    connections: () => connections,
    stop: () => new Promise((resolve) => {
      server.close(resolve);
      for (const socket of sockets) socket.destroy();
    }),
  };
}
