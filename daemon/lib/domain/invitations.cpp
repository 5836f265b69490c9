#include "domain/invitations.hpp"

#include "domain/errors.hpp"
#include "security/tokens.hpp"

namespace nestbox::domain {
namespace {

DomainError notFound() { return DomainError(ErrorKind::notFound, "not_found", "There is no such invitation."); }

// One answer for a code that is unknown, mistyped, used, cancelled, expired or for a child who
// has left: none of them tells which.
DomainError invalidInvitation() {
  return DomainError(ErrorKind::invalid, "invalid_invitation",
                     "This invitation code does not work. It may have been used, cancelled or expired: ask the "
                     "setting for a new letter.",
                     "code");
}

}  // namespace

Invitation InvitationService::view(const storage::InvitationRecord& r) {
  std::string state = r.state;
  if (state == "open" || state == "waiting") {
    const auto child = journal_.child(r.childId);
    const bool left = !child || (child->leftOn && !child->leftOn->empty() && *child->leftOn <= settings_.today(ctx_.clock.now()));
    if (left) state = "void";
    else if (state == "open" && ctx_.clock.now() >= r.expiresAt) state = "expired";
  }
  return {r, state};
}

storage::InvitationRecord InvitationService::require(const std::string& id) {
  auto r = journal_.invitation(id);
  if (!r) throw notFound();
  return *r;
}

NewInvitation InvitationService::create(const Principal& p, const std::string& childId) {
  children_.requireManager(p);
  const auto child = journal_.child(childId);
  if (!child) throw DomainError(ErrorKind::notFound, "not_found", "There is no such child.");
  if (child->leftOn && !child->leftOn->empty() && *child->leftOn <= settings_.today(ctx_.clock.now())) {
    throw DomainError(ErrorKind::conflict, "child_left", "This child has left the setting; their family cannot be invited.");
  }
  const std::string code = ctx_.random.base32(10);  // 80 bits, from the CSPRNG
  storage::InvitationRecord r;
  r.id = newId(ctx_.random);
  r.childId = childId;
  r.codeHash = security::sha256Hex(security::normaliseCode(code));
  r.createdBy = p.userId;
  r.createdAt = ctx_.clock.now();
  const auto setting = settings_.current();
  r.expiresAt = r.createdAt + int64_t{setting ? setting->invitationDays : 14} * 86400;
  ctx_.store.transaction([&] {
    journal_.insertInvitation(r);
    ctx_.audit.record(Event::InvitationCreated, AuditActor::of(p), AuditTarget{"child", childId}, {{"invitation", r.id}});
  });
  return {view(r), security::groupCode(code)};
}

std::vector<Invitation> InvitationService::ofChild(const Principal& p, const std::string& childId) {
  children_.requireManager(p);
  std::vector<Invitation> out;
  for (const auto& r : journal_.invitationsOf(childId)) out.push_back(view(r));
  return out;
}

void InvitationService::cancel(const Principal& p, const std::string& invitationId) {
  children_.requireManager(p);
  auto r = require(invitationId);
  if (r.state != "open" && r.state != "waiting") {
    throw DomainError(ErrorKind::conflict, "not_open", "This invitation has already been used or cancelled.");
  }
  r.state = "cancelled";
  r.cancelledAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.updateInvitation(r);
    ctx_.audit.record(Event::InvitationCancelled, AuditActor::of(p), AuditTarget{"child", r.childId}, {{"invitation", r.id}});
  });
}

storage::InvitationRecord InvitationService::usable(const std::string& code, const RequestOrigin& origin) {
  const int64_t now = ctx_.clock.now();
  const std::string throttleKey = "invitation:" + origin.address;
  if (auto wait = ctx_.throttle.lockedFor(throttleKey, now)) {
    throw DomainError(ErrorKind::throttled, "throttled", "Too many codes that do not work. Try again later.", "", *wait);
  }
  const auto r = journal_.invitationByCode(security::sha256Hex(security::normaliseCode(code)));
  if (!r || view(*r).state != "open") {
    ctx_.throttle.recordFailure(throttleKey, kAddressThrottle, now);
    ctx_.audit.record(Event::InvitationRefused, AuditActor::anonymous(origin), std::nullopt,
                      {{"reason", r ? view(*r).state : "unknown"}});
    throw invalidInvitation();
  }
  return *r;
}

std::string InvitationService::redeem(const std::string& code, const Joiner& joiner, const RequestOrigin& origin) {
  auto r = usable(code, origin);
  const auto child = journal_.child(r.childId);
  ctx_.store.transaction([&] {
    const auto user = accounts_.createInvitedParent({joiner.username, joiner.displayName, joiner.email, Role::parent},
                                                    joiner.password, origin);
    journal_.linkCarer(r.childId, user.id);
    r.state = "used";
    r.accountId = user.id;
    r.usedAt = ctx_.clock.now();
    journal_.updateInvitation(r);
    const AuditActor actor{user.id, user.username, origin.address, {}};
    ctx_.audit.record(Event::InvitationRedeemed, actor, AuditTarget{"child", r.childId}, {{"invitation", r.id}});
    ctx_.audit.record(Event::CarerLinked, actor, AuditTarget{"child", r.childId}, {{"parent_id", user.id}, {"via", "invitation"}});
  });
  ctx_.throttle.clear("invitation:" + origin.address);
  return child ? child->firstName : "";
}

std::string InvitationService::claim(const Principal& p, const std::string& code) {
  if (p.role != Role::parent) {
    throw DomainError(ErrorKind::forbidden, "parents_only", "Invitations are for parents and carers.");
  }
  auto r = usable(code, p.origin);
  if (children_.isCarer(p.userId, r.childId)) {
    throw DomainError(ErrorKind::conflict, "already_attached", "Your account already sees this child's journal.");
  }
  r.state = "waiting";
  r.accountId = p.userId;
  r.claimedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.updateInvitation(r);
    ctx_.audit.record(Event::InvitationClaimed, AuditActor::of(p), AuditTarget{"child", r.childId}, {{"invitation", r.id}});
  });
  const auto child = journal_.child(r.childId);
  return child ? child->firstName : "";
}

std::vector<WaitingLink> InvitationService::waiting(const Principal& p) {
  children_.requireManager(p);
  std::vector<WaitingLink> out;
  for (const auto& r : journal_.invitationsInState("waiting")) {
    auto v = view(r);
    if (v.state != "waiting" || !r.accountId) continue;
    const auto child = journal_.child(r.childId);
    const auto account = ctx_.store.userById(*r.accountId);
    if (!child || !account) continue;
    const auto room = journal_.room(child->roomId);
    out.push_back({v, *child, room ? room->name : "", *account, journal_.childrenOfParent(account->id)});
  }
  return out;
}

void InvitationService::confirm(const Principal& p, const std::string& invitationId) {
  children_.requireManager(p);
  auto r = require(invitationId);
  if (view(r).state != "waiting" || !r.accountId) {
    throw DomainError(ErrorKind::conflict, "not_waiting", "This invitation is not waiting for a confirmation.");
  }
  const auto account = ctx_.store.userById(*r.accountId);
  if (!account || !account->active || account->role != "parent") {
    throw DomainError(ErrorKind::conflict, "account_gone", "That account is no longer an active parent account.");
  }
  r.state = "used";
  r.usedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.linkCarer(r.childId, account->id);
    journal_.updateInvitation(r);
    ctx_.audit.record(Event::InvitationConfirmed, AuditActor::of(p), AuditTarget{"child", r.childId},
                      {{"invitation", r.id}, {"parent_id", account->id}});
    ctx_.audit.record(Event::CarerLinked, AuditActor::of(p), AuditTarget{"child", r.childId},
                      {{"parent_id", account->id}, {"via", "invitation"}});
  });
}

int InvitationService::openCount() {
  int n = 0;
  for (const auto& r : journal_.invitationsInState("open")) n += view(r).state == "open";
  return n;
}

int InvitationService::waitingCount() {
  int n = 0;
  for (const auto& r : journal_.invitationsInState("waiting")) n += view(r).state == "waiting";
  return n;
}

}  // namespace nestbox::domain
