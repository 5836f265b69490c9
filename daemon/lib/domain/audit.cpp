#include "domain/audit.hpp"

#include "core/log.hpp"
#include "domain/errors.hpp"

namespace nestbox::domain {

std::string roleName(Role role) {
  switch (role) {
    case Role::manager: return "manager";
    case Role::staff: return "staff";
    case Role::parent: return "parent";
  }
  return "parent";
}

std::optional<Role> roleFromName(const std::string& name) {
  if (name == "manager") return Role::manager;
  if (name == "staff") return Role::staff;
  if (name == "parent") return Role::parent;
  return std::nullopt;
}

std::optional<std::string> auditSubjectName(const std::string& type, const std::string& id, const AuditNames& names) {
  // A record that is gone (erased, deleted, removed) is described, never named by its id.
  static const std::map<std::string, std::string> gone = {
      {"child", "a child who has left"},
      {"entry", "an entry no longer in the journal"},
      {"media", "a photo or video since deleted"},
      {"upload", "an upload since finished or removed"},
      {"device", "a device since removed"},
      {"user", "a person whose account is gone"},
      {"room", "a room since removed"},
  };
  const auto fallback = gone.find(type);
  if (fallback == gone.end()) return std::nullopt;
  if (const auto ofType = names.find(type); ofType != names.end()) {
    if (const auto name = ofType->second.find(id); name != ofType->second.end() && !name->second.empty()) return name->second;
  }
  return fallback->second;
}

void AuditLog::record(Event event, const AuditActor& actor, const std::optional<AuditTarget>& target,
                      const Json& detail, const LogFields& logged) {
  storage::AuditRecord r;
  r.at = clock_.now();
  r.event = std::string(eventInfo(event).id);
  r.actorId = actor.userId;
  r.actorName = actor.username;
  r.address = actor.address;
  r.deviceId = actor.deviceId;
  if (target) {
    r.targetType = target->type;
    r.targetId = target->id;
  }
  r.detail = detail.dump();
  r.seq = store_.appendAudit(r);
  LogFields fields = {{"audit_seq", std::to_string(r.seq)}, {"address", actor.address}};
  if (actor.userId) fields.emplace_back("actor", *actor.userId);
  if (target) fields.emplace_back("target", target->type + ":" + target->id);
  fields.insert(fields.end(), logged.begin(), logged.end());
  logEvent(event, fields);
}

std::vector<storage::AuditRecord> AuditLog::query(const Principal& reader, const storage::AuditQuery& query) {
  if (reader.role != Role::manager) {
    record(Event::AccessDenied, AuditActor::of(reader), AuditTarget{"audit", ""});
    throw DomainError(ErrorKind::forbidden, "manager_only", "Only a manager can read the audit log.");
  }
  return store_.audit(query);
}

}  // namespace nestbox::domain
