#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "security/certificate_authority.hpp"
#include "security/password.hpp"
#include "security/tokens.hpp"
#include "system/files.hpp"

using namespace nestbox;
using namespace nestbox::security;

TEST_CASE("argon2id hashes verify only the right secret and record their parameters") {
  PasswordHasher hasher({1, 8 * 1024});
  const auto hash = hasher.hash("a long enough secret");
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hasher.verify(hash, "a long enough secret"));
  CHECK_FALSE(hasher.verify(hash, "a long enough secreT"));
  CHECK(hasher.hash("same") != hasher.hash("same"));  // salted
  CHECK_FALSE(hasher.needsRehash(hash));
  PasswordHasher stronger({2, 16 * 1024});
  CHECK(stronger.needsRehash(hash));
  CHECK(stronger.verify(hash, "a long enough secret"));  // old hashes keep working
}

TEST_CASE("password rules: length, common passwords, context words, optional mixed case") {
  CHECK(checkPassword("short", {}) == "Use at least 10 characters.");
  CHECK(checkPassword(std::string(129, 'x') + "Aa1", {})->find("at most") != std::string::npos);
  CHECK(checkPassword("Password123!", {})->find("too common") != std::string::npos);
  CHECK(checkPassword("qwertyuiop", {})->find("too common") != std::string::npos);
  CHECK(checkPassword("rainbow-nursery-2026", {}, {"Rainbow"})->find("must not contain") != std::string::npos);
  CHECK_FALSE(checkPassword("plum tree in the garden", {}));
  CHECK(checkPassword("plum tree in the garden", {true})->find("upper-case") != std::string::npos);
  CHECK_FALSE(checkPassword("Plum tree in the garden 4", {true}));
  // Length counts characters: ten accented letters pass.
  CHECK_FALSE(checkPassword("éééééééééé", {}));
}

TEST_CASE("PIN rules") {
  CHECK(checkPin("123"));
  CHECK(checkPin("12a4"));
  CHECK(checkPin("123456789"));
  CHECK(checkPin("0000"));
  CHECK(checkPin("1234"));
  CHECK(checkPin("9876"));
  CHECK_FALSE(checkPin("4071"));
  CHECK_FALSE(checkPin("58203194"));
}

TEST_CASE("token helpers") {
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(constantTimeEquals("abc", "abc"));
  CHECK_FALSE(constantTimeEquals("abc", "abd"));
  CHECK_FALSE(constantTimeEquals("abc", "abcd"));
  CHECK(normaliseCode("abcd-efgh ijkl-mnop") == "ABCDEFGH1JK1MN0P");
  CHECK(groupCode("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS");
}

namespace {
int mode(const std::string& path) {
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

bool verifiesAgainstCa(const std::string& serverPem, const std::string& caPem) {
  BIO* cb = BIO_new_mem_buf(caPem.data(), static_cast<int>(caPem.size()));
  BIO* sb = BIO_new_mem_buf(serverPem.data(), static_cast<int>(serverPem.size()));
  X509* ca = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  X509* server = PEM_read_bio_X509(sb, nullptr, nullptr, nullptr);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, server, nullptr);
  X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), "nestbox.local", 0);
  const bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(server);
  X509_free(ca);
  BIO_free(cb);
  BIO_free(sb);
  return ok;
}
}  // namespace

TEST_CASE("the box CA is made once, the server certificate follows the box's names") {
  const auto dir = testing::tempDir("tls") + "/tls";
  const int64_t now = 1'780'000'000;
  const CertificateNames names{"nestbox", {"127.0.0.1", "192.0.2.7", "0:0:0:0:0:0:0:1"}};
  const auto first = ensureCertificates(dir, names, now);
  CHECK(first.caCreated);
  CHECK(first.serverIssued);
  CHECK(mode(dir + "/ca.key") == 0600);
  CHECK(mode(dir + "/server.key") == 0600);
  CHECK(first.caFingerprint.size() == 32 * 3 - 1);
  CHECK(first.caFingerprint == certificateFingerprint(system::readFile(dir + "/ca.crt")));

  const auto sans = certificateSubjectAltNames(system::readFile(dir + "/server.crt"));
  CHECK(sans == std::vector<std::string>{"DNS:localhost", "DNS:nestbox", "DNS:nestbox.local", "IP:127.0.0.1",
                                         "IP:192.0.2.7", "IP:::1"});
  CHECK(verifiesAgainstCa(system::readFile(dir + "/server.crt"), system::readFile(dir + "/ca.crt")));
  CHECK(certificateNotAfter(system::readFile(dir + "/server.crt")) <= now + 398 * 86400);

  const auto again = ensureCertificates(dir, names, now + 86400);
  CHECK_FALSE(again.caCreated);
  CHECK_FALSE(again.serverIssued);
  CHECK(again.caFingerprint == first.caFingerprint);

  const auto renamed = ensureCertificates(dir, {"nursery-box", names.addresses}, now + 86400);
  CHECK_FALSE(renamed.caCreated);
  CHECK(renamed.serverIssued);
  CHECK(renamed.caFingerprint == first.caFingerprint);

  const auto expiring = ensureCertificates(dir, {"nursery-box", names.addresses}, now + 380 * 86400);
  CHECK(expiring.serverIssued);
}

TEST_CASE("secure subnets: IPv4 and IPv6 networks, mapped addresses, typing mistakes refused") {
  using security::parseSubnet;
  std::optional<security::SubnetListError> error;
  const auto list = security::parseSubnetList("192.168.10.0/24, 10.0.0.0/8\nfd00:1::/64, 127.0.0.1", error);
  REQUIRE_FALSE(error);
  CHECK(security::formatSubnetList(list) == "192.168.10.0/24, 10.0.0.0/8, fd00:1::/64, 127.0.0.1/32");
  CHECK(security::inAnySubnet("192.168.10.77", list));
  CHECK(security::inAnySubnet("::ffff:192.168.10.77", list));  // IPv4-mapped counts as IPv4
  CHECK(security::inAnySubnet("10.255.255.255", list));
  CHECK(security::inAnySubnet("fd00:1::abcd", list));
  CHECK(security::inAnySubnet("127.0.0.1", list));
  CHECK_FALSE(security::inAnySubnet("192.168.11.1", list));  // the guest Wi-Fi next door
  CHECK_FALSE(security::inAnySubnet("fd00:2::1", list));
  CHECK_FALSE(security::inAnySubnet("127.0.0.2", list));
  CHECK_FALSE(security::inAnySubnet("not an address", list));
  CHECK_FALSE(security::inAnySubnet("", list));
  CHECK(parseSubnet("0.0.0.0/0"));
  CHECK(parseSubnet("192.168.0.0/17"));
  CHECK_FALSE(parseSubnet("192.168.128.0/16"));  // host bits set
  CHECK_FALSE(parseSubnet("192.168.1.0/33"));
  CHECK_FALSE(parseSubnet("192.168.1.0/"));
  CHECK_FALSE(parseSubnet("192.168.1/24"));
  CHECK_FALSE(parseSubnet("fd00::/129"));
  CHECK_FALSE(parseSubnet("::ffff:10.0.0.0/104"));
  const auto bad = security::parseSubnetList("10.0.0.0/8, guest", error);
  CHECK(bad.empty());
  REQUIRE(error);
  CHECK(error->item == "guest");
}
