#pragma once
// The role checks every service makes (the HTTP dispatcher checks first; services check
// again). A refusal is audited as an access denial naming the area asked for.

#include <string>

#include "domain/context.hpp"
#include "domain/errors.hpp"

namespace nestbox::domain {

inline void requireStaffRole(Context& ctx, const Principal& p, const std::string& area) {
  if (p.role == Role::parent) {
    ctx.audit.record(Event::AccessDenied, AuditActor::of(p), AuditTarget{area, ""});
    throw DomainError(ErrorKind::forbidden, "staff_only", "Only staff and managers can do this.");
  }
}

inline void requireManagerRole(Context& ctx, const Principal& p, const std::string& area) {
  if (p.role != Role::manager) {
    ctx.audit.record(Event::AccessDenied, AuditActor::of(p), AuditTarget{area, ""});
    throw DomainError(ErrorKind::forbidden, "manager_only", "Only a manager can do this.");
  }
}

}  // namespace nestbox::domain
