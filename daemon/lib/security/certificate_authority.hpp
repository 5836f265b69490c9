#pragma once
// The box's own certificate authority and the server certificate nginx presents.
//
// Files under `dir` (created by ensure()):
//   ca.key      EC P-256, mode 0600; never leaves the box
//   ca.crt      self-signed, 10 years
//   server.key  EC P-256, mode 0600
//   server.crt  signed by the CA, 397 days, SANs: <host>.local, <host>, the mDNS name in use,
//               localhost, addresses
// The server certificate is re-issued when it is missing, within 30 days of expiry, when its
// start is after now (the clock was moved back, e.g. by a Pi's first time sync), or when the
// wanted names differ from the ones it carries (host renamed, new address).
//
// `floor` is the earliest time the box accepts (its image's build time): no certificate is
// dated before it, so a Pi that booted in 1970 never makes a CA valid only in the 1970s.

#include <cstdint>
#include <string>
#include <vector>

namespace nestbox::security {

struct CertificateNames {
  std::string hostname;                 // without ".local"
  std::vector<std::string> addresses;   // IPv4/IPv6 literals
  std::string mdnsHostName = {};        // the mDNS name in use when not <hostname>.local (e.g.
                                        // "nestbox-2.local" after a collision); "" if none

  bool operator==(const CertificateNames&) const = default;
};

struct CertificateStatus {
  std::string caFingerprint;  // SHA-256 of the CA certificate (DER), "AB:CD:..." form
  bool caCreated = false;
  bool serverIssued = false;
  std::vector<std::string> serverNames;  // the SAN entries, e.g. "DNS:localhost"
};

CertificateStatus ensureCertificates(const std::string& dir, const CertificateNames& names, int64_t now,
                                     int64_t floor = 0);

// The SAN entries a server certificate for `names` must carry, in a stable order.
std::vector<std::string> wantedSubjectAltNames(const CertificateNames& names);
// Reads the SAN entries and expiry (Unix seconds) of a PEM certificate.
std::vector<std::string> certificateSubjectAltNames(const std::string& pem);
int64_t certificateNotAfter(const std::string& pem);
int64_t certificateNotBefore(const std::string& pem);
std::string certificateFingerprint(const std::string& pem);

// The MDM tier of registered devices: a client certificate for one device, signed by the
// box CA (ensureCertificates() made it under `dir`), for a mobile-device-management system
// to install. nginx checks it (ssl_verify_client optional) and passes its SHA-1 fingerprint;
// the box binds that fingerprint to the device, so revoking or re-issuing ends it.
struct ClientCertificate {
  std::string pkcs12;       // DER PKCS#12: key and certificate, protected by `password`
  std::string certificatePem;
  std::string sha1;         // lower-case hex, as nginx's $ssl_client_fingerprint gives it
  int64_t notAfter = 0;
};
ClientCertificate issueClientCertificate(const std::string& dir, const std::string& deviceId,
                                         const std::string& deviceName, const std::string& password, int64_t now,
                                         int64_t floor = 0);

}  // namespace nestbox::security
