// Remote access's certificate (domain/remote_access.hpp), by the box's clock: asked for when
// there is none and from 30 days before expiry, the agent's answers audited once, retried a
// day after a failure, and the managers' alert from 14 days before expiry while renewal has
// not succeeded.
#include <catch2/catch.hpp>

#include <filesystem>

#include "fixture.hpp"
#include "security/certificate_authority.hpp"
#include "system/files.hpp"

using namespace nestbox;

namespace {
constexpr int64_t kDay = 86400;

struct Remote {
  testing::Stack s;
  std::string dir = s.remoteDir;
  void configure(const std::string& text) { system::writeFileAtomic(dir + "/remote.conf", text, 0644); }
  bool requested() { return system::fileExists(dir + "/acme-request"); }
  // The agent (nestboxctl acme) succeeding: a certificate valid 397 days from now.
  int64_t agentSucceeds() {
    const auto tls = dir + "/ca";
    std::filesystem::remove_all(tls);
    security::ensureCertificates(tls, {"journal", {}}, s.clock.now());
    std::filesystem::copy_file(tls + "/server.crt", dir + "/fullchain.pem", std::filesystem::copy_options::overwrite_existing);
    system::removeFileIfExists(dir + "/acme-request");
    system::writeFileAtomic(dir + "/acme-status", "result = ok\nat = " + std::to_string(s.clock.now()) + "\n", 0644);
    return security::certificateNotAfter(system::readFile(dir + "/fullchain.pem"));
  }
  void agentFails(const std::string& message) {
    system::removeFileIfExists(dir + "/acme-request");
    system::writeFileAtomic(dir + "/acme-status",
                            "result = failed\nat = " + std::to_string(s.clock.now()) + "\nmessage = " + message + "\n", 0644);
  }
  int64_t audited(const char* event) {
    storage::AuditQuery q;
    q.event = event;
    return static_cast<int64_t>(s.store.audit(q).size());
  }
};
}  // namespace

TEST_CASE("remote access off: nothing asked for, nothing to alert") {
  Remote r;
  r.s.remote.tick();
  CHECK_FALSE(r.requested());
  CHECK(r.s.remote.view().mode == "off");
  CHECK_FALSE(r.s.remote.view().alert);
  r.configure("mode = sideways\npublic_name = journal.example.org\n");  // not a mode: off
  r.s.remote.tick();
  CHECK_FALSE(r.requested());
}

TEST_CASE("remote access: a certificate asked for at once, renewed from 30 days before expiry, by the box's clock") {
  Remote r;
  r.configure("# written by nestboxctl remote\nmode = relay\npublic_name = journal.example.org\n");
  auto v = r.s.remote.view();
  CHECK(v.publicName == "journal.example.org");
  CHECK(v.renewal == "missing");
  CHECK(v.alert);  // no certificate yet: families cannot come in
  r.s.remote.tick();
  CHECK(r.requested());
  CHECK(r.s.remote.view().renewal == "due");

  const int64_t expires = r.agentSucceeds();
  r.s.remote.tick();
  v = r.s.remote.view();
  CHECK(v.renewal == "ok");
  CHECK_FALSE(v.alert);
  CHECK(v.certificateExpiresAt == expires);
  CHECK(r.audited("NBX_PUBLIC_CERT_RENEWED") == 1);
  r.s.remote.tick();
  CHECK(r.audited("NBX_PUBLIC_CERT_RENEWED") == 1);  // each answer once
  CHECK_FALSE(r.requested());

  r.s.clock.set(expires - 31 * kDay);
  r.s.remote.tick();
  CHECK_FALSE(r.requested());
  r.s.clock.set(expires - 30 * kDay);
  r.s.remote.tick();
  CHECK(r.requested());
}

TEST_CASE("remote access: a failing renewal is retried daily and alerts managers from 14 days before expiry") {
  Remote r;
  r.configure("mode = direct\npublic_name = journal.example.org\n");
  r.s.remote.tick();
  const int64_t expires = r.agentSucceeds();
  r.s.clock.set(expires - 20 * kDay);
  r.s.remote.tick();
  REQUIRE(r.requested());
  r.agentFails("acme: error: 400 :: urn:ietf:params:acme:error:connection :: port 80 unreachable");
  r.s.remote.tick();
  auto v = r.s.remote.view();
  CHECK(v.renewal == "failed");
  CHECK(v.lastError.find("port 80 unreachable") != std::string::npos);
  CHECK_FALSE(v.alert);  // 20 days left: renewal may still succeed
  CHECK(r.audited("NBX_PUBLIC_CERT_FAILED") == 1);
  CHECK_FALSE(r.requested());  // not again within the day

  r.s.clock.advance(kDay);
  r.s.remote.tick();
  CHECK(r.requested());
  r.agentFails("still unreachable");
  r.s.clock.set(expires - 14 * kDay);
  v = r.s.remote.view();
  CHECK(v.alert);
  const auto summary = r.s.home.summary(r.s.setUp());
  CHECK(summary.remote.alert);
  CHECK(summary.remote.lastError == "still unreachable");

  r.s.remote.tick();
  REQUIRE(r.requested());
  r.agentSucceeds();
  r.s.remote.tick();
  CHECK_FALSE(r.s.remote.view().alert);
}
