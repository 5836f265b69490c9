#pragma once
// The audit log: an append-only record of security events that managers read. Each entry
// names an event from the catalogue (core/events.hpp), who did it, from where, and to what.
// Recording also writes the event to the service log (without the detail, which may hold
// personal data).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/events.hpp"
#include "core/json_input.hpp"
#include "core/log.hpp"
#include "domain/principal.hpp"
#include "storage/store.hpp"
#include "system/clock.hpp"

namespace nestbox::domain {

struct AuditActor {
  std::optional<std::string> userId;
  std::optional<std::string> username;
  std::string address;
  std::optional<std::string> deviceId;

  static AuditActor of(const Principal& p) { return {p.userId, p.username, p.origin.address, p.deviceId}; }
  static AuditActor anonymous(const RequestOrigin& o) { return {{}, {}, o.address, {}}; }
  // The box itself: a job, no person.
  static AuditActor box() { return {std::nullopt, std::string("box"), "local", std::nullopt}; }
};

struct AuditTarget {
  std::string type;  // "user", "setting", "session", ...
  std::string id;
};

// Names of the records audit rows are about, as managers may see them (issue 32): type
// ("child", "entry", "device", "user", "room", "media") -> id -> what a manager reads
// ("Ada Lovelace", "“Painting”", "Blue room iPad").
using AuditNames = std::map<std::string, std::map<std::string, std::string>>;

// What a manager reads for the subject of an audit row: its name from `names`, or for a record
// since erased or removed a phrase that names no one ("a child who has left"); nothing for a
// subject with no name to give (a setting, a route, a session).
std::optional<std::string> auditSubjectName(const std::string& type, const std::string& id, const AuditNames& names);

class AuditLog {
 public:
  AuditLog(storage::Store& store, const system::Clock& clock) : store_(store), clock_(clock) {}

  // Appends an entry; call inside the same store transaction as the change it records. The
  // log line names the entry; `logged` adds fields to it (never anything secret or personal).
  void record(Event event, const AuditActor& actor, const std::optional<AuditTarget>& target = {},
              const Json& detail = Json::object(), const LogFields& logged = {});

  // Managers only; anyone else gets DomainError(forbidden), recorded as an access denial.
  std::vector<storage::AuditRecord> query(const Principal& reader, const storage::AuditQuery& query);

 private:
  storage::Store& store_;
  const system::Clock& clock_;
};

}  // namespace nestbox::domain
