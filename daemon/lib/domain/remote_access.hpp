#pragma once
// Remote access's certificate (issue 31). When IT support turns remote access on
// (`nestboxctl remote relay|direct`), the box's public name needs a publicly trusted
// certificate: parents' phones then need no box CA. It comes from an ACME CA (RFC 8555) by
// HTTP-01, which works through the relay and through a forwarded port 80 alike, run as root by
// nestbox-acme.path → `nestboxctl acme` (lego): this daemon has no business holding an ACME
// account key or reloading nginx.
//
// What the daemon does, by its own clock (tests move it):
// - asks for a certificate (writes the request file) when there is none, or from 30 days
//   before the one there expires, at most once a day while the last attempt failed;
// - reads the agent's answer (the status file: result=ok|failed, at=, message=);
// - tells managers (the home's alert) from 14 days before expiry while renewal has not
//   succeeded, and when there is no certificate at all; each failure is audited.
//
// The files (in <data_dir>/remote/ on the appliance): `remote.conf` (mode, public_name; written
// by nestboxctl remote), the request, the status, and the certificate itself in tls/public/.

#include <cstdint>
#include <optional>
#include <string>

#include "core/json_input.hpp"
#include "domain/context.hpp"

namespace nestbox::domain {

struct RemoteAccessPaths {
  std::string settingsFile;     // key = value: mode (off|relay|direct), public_name
  std::string certificateFile;  // the public name's certificate chain (PEM)
  std::string requestFile;      // written here when a certificate is wanted
  std::string statusFile;       // the agent's answer
};

struct RemoteAccessView {
  std::string mode = "off";  // off, relay, direct
  std::string publicName;
  std::optional<int64_t> certificateExpiresAt;
  // ok, due (asked for, not answered yet), failed (the last attempt), missing (none from the
  // ACME CA yet: at most nestboxctl's self-signed placeholder)
  std::string renewal = "ok";
  std::optional<int64_t> lastAttemptAt;
  std::string lastError;  // the agent's message when the last attempt failed
  // The managers' home alert: the certificate expires within 14 days (or there is none)
  // and renewal has not succeeded.
  bool alert = false;
};

class RemoteAccess {
 public:
  static constexpr int64_t kRenewBefore = 30 * 86400;
  static constexpr int64_t kAlertBefore = 14 * 86400;
  static constexpr int64_t kRetryAfter = 86400;

  RemoteAccess(Context& ctx, RemoteAccessPaths paths) : ctx_(ctx), paths_(std::move(paths)) {}

  RemoteAccessView view();
  // The job (hourly, by the box's clock): asks for a certificate when one is due, and records
  // the agent's answers. Returns what it did, for the job log.
  Json tick();

 private:
  struct Status {
    std::string result;
    int64_t at = 0;
    std::string message;
  };
  std::optional<Status> readStatus();

  Context& ctx_;
  RemoteAccessPaths paths_;
  int64_t lastStatusAt_ = 0;  // the newest answer already audited
};

}  // namespace nestbox::domain
