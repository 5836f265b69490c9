#include "security/certificate_authority.hpp"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <memory>
#include <optional>
#include <stdexcept>

#include "system/files.hpp"

namespace nestbox::security {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("TLS: " + what); }

constexpr int64_t kDay = 24 * 3600;

std::string ipText(const unsigned char* bytes, int length) {
  char text[INET6_ADDRSTRLEN] = {};
  if (length == 4) ::inet_ntop(AF_INET, bytes, text, sizeof text);
  else if (length == 16) ::inet_ntop(AF_INET6, bytes, text, sizeof text);
  return text;
}

// Canonical text of an address literal (IPv6 zero compression), or nothing if not one.
std::optional<std::string> canonicalIp(const std::string& literal) {
  unsigned char buf[16];
  if (::inet_pton(AF_INET, literal.c_str(), buf) == 1) return ipText(buf, 4);
  if (::inet_pton(AF_INET6, literal.c_str(), buf) == 1) return ipText(buf, 16);
  return std::nullopt;
}

KeyPtr generateKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("cannot generate an EC key");
  return key;
}

std::string keyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    fail("cannot encode key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string certToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(bio.get(), cert)) fail("cannot encode certificate");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

KeyPtr keyFromPem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("cannot read key");
  return key;
}

CertPtr certFromPem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("cannot read certificate");
  return cert;
}

void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) fail("bad certificate extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

CertPtr makeCertificate(EVP_PKEY* subjectKey, const std::string& commonName, X509* issuer,
                        EVP_PKEY* issuerKey, int64_t notBefore, int64_t notAfter) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(notBefore));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(notAfter));
  X509_set_pubkey(cert.get(), subjectKey);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Nestbox"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* issuerCert = issuer ? issuer : cert.get();
  addExtension(cert.get(), issuerCert, NID_subject_key_identifier, "hash");
  if (issuer) addExtension(cert.get(), issuerCert, NID_authority_key_identifier, "keyid:always");
  if (!issuer) {
    addExtension(cert.get(), issuerCert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    addExtension(cert.get(), issuerCert, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  if (X509_sign(cert.get(), issuerKey, EVP_sha256()) == 0) fail("cannot sign certificate");
  return cert;
}

// A certificate's start or end as Unix seconds.
int64_t unixTimeOf(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) fail("bad certificate date");
  return static_cast<int64_t>(timegm(&tm));
}

std::string fingerprintOf(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    if (i) out.push_back(':');
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

std::vector<std::string> sansOf(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_DNS) {
      out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                                         static_cast<std::size_t>(ASN1_STRING_length(gn->d.dNSName))));
    } else if (gn->type == GEN_IPADD) {
      out.push_back("IP:" + ipText(ASN1_STRING_get0_data(gn->d.iPAddress), ASN1_STRING_length(gn->d.iPAddress)));
    }
  }
  GENERAL_NAMES_free(names);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> wantedSubjectAltNames(const CertificateNames& names) {
  std::vector<std::string> out = {"DNS:localhost"};
  if (!names.hostname.empty() && names.hostname != "localhost") {
    out.push_back("DNS:" + names.hostname + ".local");
    out.push_back("DNS:" + names.hostname);
  }
  const bool plainDnsName = !names.mdnsHostName.empty() &&
                            std::all_of(names.mdnsHostName.begin(), names.mdnsHostName.end(), [](char c) {
                              return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
                            });
  if (plainDnsName) out.push_back("DNS:" + names.mdnsHostName);
  for (const auto& address : names.addresses) {
    if (const auto ip = canonicalIp(address)) out.push_back("IP:" + *ip);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> certificateSubjectAltNames(const std::string& pem) {
  auto cert = certFromPem(pem);
  return sansOf(cert.get());
}

int64_t certificateNotAfter(const std::string& pem) { return unixTimeOf(X509_get0_notAfter(certFromPem(pem).get())); }

std::string certificateFingerprint(const std::string& pem) {
  auto cert = certFromPem(pem);
  return fingerprintOf(cert.get());
}

int64_t certificateNotBefore(const std::string& pem) {
  return unixTimeOf(X509_get0_notBefore(certFromPem(pem).get()));
}

CertificateStatus ensureCertificates(const std::string& dir, const CertificateNames& names, int64_t now,
                                     int64_t floor) {
  using system::fileExists;
  using system::readFile;
  using system::writeFileAtomic;
  CertificateStatus status;
  system::ensureDirectory(dir, 0750);
  const std::string caKeyPath = dir + "/ca.key", caCertPath = dir + "/ca.crt";
  const std::string serverKeyPath = dir + "/server.key", serverCertPath = dir + "/server.crt";

  KeyPtr caKey;
  CertPtr caCert;
  if (!fileExists(caKeyPath) || !fileExists(caCertPath)) {
    caKey = generateKey();
    caCert = makeCertificate(caKey.get(), "Nestbox box CA " + names.hostname, nullptr, caKey.get(),
                             std::max(floor, now - kDay), std::max(floor, now) + 3650 * kDay);
    writeFileAtomic(caKeyPath, keyToPem(caKey.get()), 0600);
    writeFileAtomic(caCertPath, certToPem(caCert.get()), 0644);
    system::removeFileIfExists(serverCertPath);  // a new CA invalidates the old server certificate
    status.caCreated = true;
  } else {
    caKey = keyFromPem(readFile(caKeyPath));
    caCert = certFromPem(readFile(caCertPath));
  }
  status.caFingerprint = fingerprintOf(caCert.get());
  const std::string caPem = certToPem(caCert.get());

  const auto wanted = wantedSubjectAltNames(names);
  bool reissue = !fileExists(serverKeyPath) || !fileExists(serverCertPath);
  if (!reissue) {
    const std::string pem = readFile(serverCertPath);
    auto cert = certFromPem(pem);
    // Also when the clock has moved outside its dates (a Pi's first time sync, or a clock
    // corrected at setup): a certificate that starts after now is not valid yet.
    reissue = sansOf(cert.get()) != wanted || unixTimeOf(X509_get0_notAfter(cert.get())) < now + 30 * kDay ||
              unixTimeOf(X509_get0_notBefore(cert.get())) > now ||
              X509_verify(cert.get(), caKey.get()) != 1;
  }
  if (reissue) {
    auto serverKey = generateKey();
    auto cert = makeCertificate(serverKey.get(), names.hostname + ".local", caCert.get(), caKey.get(),
                                std::max(floor, now - kDay), std::max(floor, now) + 397 * kDay);
    std::string san;
    for (const auto& n : wanted) san += (san.empty() ? "" : ",") + n;
    // Extensions must be added before signing, so sign again after adding them.
    addExtension(cert.get(), caCert.get(), NID_subject_alt_name, san);
    addExtension(cert.get(), caCert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), caCert.get(), NID_key_usage, "critical,digitalSignature");
    addExtension(cert.get(), caCert.get(), NID_ext_key_usage, "serverAuth");
    if (X509_sign(cert.get(), caKey.get(), EVP_sha256()) == 0) fail("cannot sign server certificate");
    writeFileAtomic(serverKeyPath, keyToPem(serverKey.get()), 0600);
    // nginx wants the chain: server certificate first, then the CA.
    writeFileAtomic(serverCertPath, certToPem(cert.get()) + caPem, 0644);
    status.serverIssued = true;
  }
  status.serverNames = wanted;
  return status;
}

ClientCertificate issueClientCertificate(const std::string& dir, const std::string& deviceId,
                                         const std::string& deviceName, const std::string& password, int64_t now,
                                         int64_t floor) {
  const auto caKey = keyFromPem(system::readFile(dir + "/ca.key"));
  const auto caCert = certFromPem(system::readFile(dir + "/ca.crt"));
  auto key = generateKey();
  ClientCertificate out;
  // Never dated before the CA, whose start is the box's floor (see ensureCertificates).
  floor = std::max(floor, unixTimeOf(X509_get0_notBefore(caCert.get())));
  out.notAfter = std::max(floor, now) + 397 * kDay;
  auto cert = makeCertificate(key.get(), "nestbox-device " + deviceId, caCert.get(), caKey.get(),
                              std::max(floor, now - kDay), out.notAfter);
  addExtension(cert.get(), caCert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), caCert.get(), NID_key_usage, "critical,digitalSignature");
  addExtension(cert.get(), caCert.get(), NID_ext_key_usage, "clientAuth");
  if (X509_sign(cert.get(), caKey.get(), EVP_sha256()) == 0) fail("cannot sign client certificate");
  out.certificatePem = certToPem(cert.get());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert.get(), EVP_sha1(), md, &len);
  static constexpr char hex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    out.sha1.push_back(hex[md[i] >> 4]);
    out.sha1.push_back(hex[md[i] & 15]);
  }
  // AES-256 and SHA-256 for the bundle (OpenSSL 3 defaults); iPadOS and Android MDM import it.
  std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>> p12(PKCS12_create(
      password.c_str(), deviceName.c_str(), key.get(), cert.get(), nullptr, 0, 0, 0, 0, 0));
  if (!p12) fail("cannot make the PKCS#12 bundle");
  unsigned char* der = nullptr;
  const int n = i2d_PKCS12(p12.get(), &der);
  if (n <= 0) fail("cannot encode the PKCS#12 bundle");
  out.pkcs12.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

}  // namespace nestbox::security
