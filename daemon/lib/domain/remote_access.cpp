#include "domain/remote_access.hpp"

#include <map>
#include <sstream>

#include "core/log.hpp"
#include "security/certificate_authority.hpp"
#include "system/files.hpp"

namespace nestbox::domain {
namespace {

// The small key = value files the root side writes (nestboxctl): one pair a line, # comments.
std::map<std::string, std::string> readPairs(const std::string& path) {
  std::map<std::string, std::string> out;
  if (!system::fileExists(path)) return out;
  std::istringstream in(system::readFile(path));
  std::string line;
  const auto trim = [](std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1)).substr(0, 500);
  }
  return out;
}

std::optional<int64_t> expiryOf(const std::string& path) {
  if (!system::fileExists(path)) return std::nullopt;
  try {
    return security::certificateNotAfter(system::readFile(path));
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable or half-written: as if there were none
  }
}

}  // namespace

std::optional<RemoteAccess::Status> RemoteAccess::readStatus() {
  const auto pairs = readPairs(paths_.statusFile);
  if (!pairs.count("result")) return std::nullopt;
  Status s;
  s.result = pairs.at("result");
  try {
    s.at = pairs.count("at") ? std::stoll(pairs.at("at")) : 0;
  } catch (const std::exception&) {
    s.at = 0;
  }
  if (pairs.count("message")) s.message = pairs.at("message");
  return s;
}

RemoteAccessView RemoteAccess::view() {
  RemoteAccessView v;
  const auto settings = readPairs(paths_.settingsFile);
  if (settings.count("mode")) v.mode = settings.at("mode");
  if (settings.count("public_name")) v.publicName = settings.at("public_name");
  if (v.mode != "relay" && v.mode != "direct") {
    v.mode = "off";
    return v;
  }
  const int64_t now = ctx_.clock.now();
  v.certificateExpiresAt = expiryOf(paths_.certificateFile);
  const auto status = readStatus();
  if (status) {
    v.lastAttemptAt = status->at;
    if (status->result != "ok") v.lastError = status->message.empty() ? "no reason given" : status->message;
  }
  // Until the ACME CA has answered once, the certificate there is nestboxctl's placeholder
  // (self-signed, a day): as good as none.
  if (system::fileExists(paths_.requestFile)) {
    v.renewal = "due";
  } else if (!status || !v.certificateExpiresAt) {
    v.renewal = "missing";
  } else if (status->result != "ok") {
    v.renewal = "failed";
  }
  const bool expiring = !v.certificateExpiresAt || *v.certificateExpiresAt - now <= kAlertBefore;
  v.alert = expiring && v.renewal != "ok";
  return v;
}

Json RemoteAccess::tick() {
  const auto v = view();
  if (v.mode == "off") return {{"mode", "off"}};
  const int64_t now = ctx_.clock.now();
  Json out = {{"mode", v.mode}, {"renewal", v.renewal}};
  // The agent's newest answer, audited once.
  if (const auto status = readStatus(); status && status->at > lastStatusAt_) {
    lastStatusAt_ = status->at;
    const bool ok = status->result == "ok";
    ctx_.audit.record(ok ? Event::PublicCertRenewed : Event::PublicCertFailed, AuditActor{{}, std::string("nestbox-acme"), "", {}},
                      AuditTarget{"public_name", v.publicName},
                      ok ? Json{{"expires_at", v.certificateExpiresAt.value_or(0)}} : Json{{"message", status->message}});
  }
  const bool due = v.renewal == "missing" || !v.certificateExpiresAt || *v.certificateExpiresAt - now <= kRenewBefore;
  const bool retryWait = v.renewal == "failed" && v.lastAttemptAt && now - *v.lastAttemptAt < kRetryAfter;
  if (due && v.renewal != "due" && !retryWait) {
    system::writeFileAtomic(paths_.requestFile,
                            "public_name = " + v.publicName + "\nrequested_at = " + std::to_string(now) + "\n", 0640);
    logEvent(Event::PublicCertRequested, {{"public_name", v.publicName}});
    out["requested"] = true;
  }
  return out;
}

}  // namespace nestbox::domain
