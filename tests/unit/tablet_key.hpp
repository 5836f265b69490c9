#pragma once
// A key as a tablet's browser holds it, for tests: signs like WebCrypto (P1363 r || s) and
// exports SPKI, with OpenSSL.

#include <catch2/catch.hpp>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "security/device_keys.hpp"

namespace nestbox::testing {

class TabletKey {
 public:
  explicit TabletKey(const char* curve = "P-256") : key_(EVP_EC_gen(curve)) { REQUIRE(key_); }
  ~TabletKey() { EVP_PKEY_free(key_); }
  TabletKey(const TabletKey&) = delete;
  TabletKey& operator=(const TabletKey&) = delete;

  std::string publicKey() const {
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key_, &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
    OPENSSL_free(der);
    return security::base64Encode(out);
  }

  std::string sign(const std::string& message) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_);
    std::size_t size = 0;
    EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::string der(size, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &size,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    EVP_MD_CTX_free(ctx);
    der.resize(size);
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    unsigned char raw[64] = {};
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
    ECDSA_SIG_free(sig);
    return security::base64Encode(std::string(reinterpret_cast<char*>(raw), 64));
  }

 private:
  EVP_PKEY* key_;
};


}  // namespace nestbox::testing
