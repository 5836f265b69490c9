#include "domain/children.hpp"

#include <algorithm>
#include <ctime>

#include "domain/calendar.hpp"
#include "domain/errors.hpp"
#include "domain/roles.hpp"

namespace nestbox::domain {

const char* const kDefaultParentAgreement =
    "Before you see your child's learning journal, please agree that you will:\n"
    "- keep your login details to yourself and your trusted family, and never share them;\n"
    "- not download, publish or share any observation, photograph or video from the journal on any "
    "online platform or social networking site (such as Facebook);\n"
    "- protect the images of other children that may appear in photos in your child's journal;\n"
    "- speak to a member of staff if you have difficulty using the journal or want to discuss your "
    "child's progress: the journal records learning and is not for general messages.";

namespace {
DomainError notFound(const std::string& what) {
  return DomainError(ErrorKind::notFound, "not_found", "There is no such " + what + ".");
}
void checkName(const std::string& value, const std::string& field, const std::string& label) {
  if (value.empty() || value.size() > 100) throw invalid(field, label + " must be 1 to 100 characters.");
}
void checkReleaseMode(const std::string& mode) {
  if (mode != "live" && mode != "scheduled") {
    throw invalid("release_mode", "Choose live (parents see entries at once) or scheduled (on release dates).");
  }
}
}  // namespace

bool isDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  if (!end || *end != '\0') return false;
  std::tm check = tm;
  const time_t t = timegm(&check);
  std::tm back{};
  gmtime_r(&t, &back);
  return back.tm_mday == tm.tm_mday && back.tm_mon == tm.tm_mon && back.tm_year == tm.tm_year;
}


void ChildrenService::requireStaff(const Principal& p) { requireStaffRole(ctx_, p, "journal"); }

void ChildrenService::requireManager(const Principal& p) { requireManagerRole(ctx_, p, "journal"); }

storage::RoomRecord ChildrenService::requireRoom(const std::string& roomId) {
  auto room = journal_.room(roomId);
  if (!room) throw notFound("room");
  return *room;
}

storage::ChildRecord ChildrenService::requireChild(const std::string& childId) {
  auto child = journal_.child(childId);
  if (!child) throw notFound("child");
  return *child;
}

bool ChildrenService::isCarer(const std::string& parentId, const std::string& childId) {
  for (const auto& id : journal_.carersOf(childId)) {
    if (id == parentId) return true;
  }
  return false;
}

std::vector<storage::RoomRecord> ChildrenService::rooms(const Principal& p) {
  requireStaff(p);
  return journal_.rooms();
}

storage::RoomRecord ChildrenService::createRoom(const Principal& p, const std::string& name, const std::string& mode) {
  requireManager(p);
  checkName(name, "name", "A room name");
  checkReleaseMode(mode);
  storage::RoomRecord room{newId(ctx_.random), name, mode, ctx_.clock.now(), ctx_.clock.now()};
  try {
    ctx_.store.transaction([&] {
      journal_.insertRoom(room);
      ctx_.audit.record(Event::RoomCreated, AuditActor::of(p), AuditTarget{"room", room.id},
                        {{"name", name}, {"release_mode", mode}});
    });
  } catch (const storage::DuplicateError&) {
    throw DomainError(ErrorKind::conflict, "name_taken", "There is already a room with that name.", "name");
  }
  return room;
}

storage::RoomRecord ChildrenService::updateRoom(const Principal& p, const std::string& roomId,
                                                const std::optional<std::string>& name,
                                                const std::optional<std::string>& mode) {
  requireManager(p);
  auto room = requireRoom(roomId);
  if (name) {
    checkName(*name, "name", "A room name");
    room.name = *name;
  }
  if (mode) {
    checkReleaseMode(*mode);
    room.releaseMode = *mode;
  }
  room.updatedAt = ctx_.clock.now();
  try {
    ctx_.store.transaction([&] {
      journal_.updateRoom(room);
      ctx_.audit.record(Event::RoomChanged, AuditActor::of(p), AuditTarget{"room", room.id},
                        {{"name", room.name}, {"release_mode", room.releaseMode}});
    });
  } catch (const storage::DuplicateError&) {
    throw DomainError(ErrorKind::conflict, "name_taken", "There is already a room with that name.", "name");
  }
  return room;
}

std::vector<storage::ReleasePointRecord> ChildrenService::releases(const Principal& p, const std::string& roomId) {
  requireStaff(p);
  requireRoom(roomId);
  return journal_.releasePoints(roomId);
}

void ChildrenService::scheduleRelease(const Principal& p, const std::string& roomId, int64_t at) {
  requireManager(p);
  requireRoom(roomId);
  ctx_.store.transaction([&] {
    journal_.putReleasePoint({roomId, at, "scheduled", p.userId});
    ctx_.audit.record(Event::RoomChanged, AuditActor::of(p), AuditTarget{"room", roomId},
                      {{"release_scheduled", system::formatTimestamp(at)}});
  });
}

void ChildrenService::unscheduleRelease(const Principal& p, const std::string& roomId, int64_t at) {
  requireManager(p);
  requireRoom(roomId);
  if (at <= ctx_.clock.now()) {
    throw DomainError(ErrorKind::conflict, "already_released", "That release has happened; it cannot be undone.");
  }
  ctx_.store.transaction([&] {
    journal_.deleteReleasePoint(roomId, at);
    ctx_.audit.record(Event::RoomChanged, AuditActor::of(p), AuditTarget{"room", roomId},
                      {{"release_removed", system::formatTimestamp(at)}});
  });
}

void ChildrenService::releaseNow(const Principal& p, const std::string& roomId) {
  requireManager(p);
  requireRoom(roomId);
  ctx_.store.transaction([&] {
    journal_.putReleasePoint({roomId, ctx_.clock.now(), "early", p.userId});
    ctx_.audit.record(Event::RoomReleasedEarly, AuditActor::of(p), AuditTarget{"room", roomId});
  });
}

std::vector<storage::ChildRecord> ChildrenService::children(const Principal& p, const storage::ChildQuery& query) {
  if (query.needs != storage::ChildQuery::Needs::any) {
    requireManager(p);
    auto q = query;
    const int64_t now = ctx_.clock.now();
    q.now = now;
    q.observedSince = settings_.today(now - int64_t{kNotObservedDays} * 86400);
    // Present as the home counts them: not yet past their leaving date.
    if (q.presentOn.empty()) q.presentOn = Calendar::addDays(settings_.today(now), 1);
    return journal_.children(q);
  }
  if (!AccessPolicy::isStaff(p)) {  // a family's own (the policy's family: not archived)
    auto own = journal_.childrenOfParent(p.userId);
    std::erase_if(own, [&](const storage::ChildRecord& c) { return isArchived(access_.leavingOf(c)); });
    return own;
  }
  auto q = query;
  if (q.presentOn.empty()) q.presentOn = settings_.today(ctx_.clock.now());
  return journal_.children(q);
}

storage::ChildRecord ChildrenService::child(const Principal& p, const std::string& childId) {
  if (!access_.mayViewChild(p, childId)) throw notFound("child");
  return requireChild(childId);
}

void ChildrenService::checkKeyPerson(const std::optional<std::string>& userId) {
  if (!userId || userId->empty()) return;
  const auto user = ctx_.store.userById(*userId);
  if (!user || !user->active || user->role == "parent") {
    throw invalid("key_person_id", "The key person must be an active member of staff.");
  }
}

storage::ChildRecord ChildrenService::createChild(const Principal& p, const NewChild& n) {
  requireManager(p);
  checkName(n.firstName, "first_name", "A first name");
  checkName(n.lastName, "last_name", "A last name");
  if (!isDate(n.dateOfBirth)) throw invalid("date_of_birth", "Give the date of birth as a date, e.g. 2022-03-14.");
  if (n.dateOfBirth > settings_.today(ctx_.clock.now())) throw invalid("date_of_birth", "The date of birth is in the future.");
  if (!isDate(n.startedOn)) throw invalid("started_on", "Give the start date as a date, e.g. 2025-09-01.");
  if (n.leftOn && !n.leftOn->empty() && (!isDate(*n.leftOn) || *n.leftOn < n.startedOn)) {
    throw invalid("left_on", "The leaving date must be a date after the start date.");
  }
  requireRoom(n.roomId);
  checkKeyPerson(n.keyPersonId);
  storage::ChildRecord c;
  c.id = newId(ctx_.random);
  c.firstName = n.firstName;
  c.lastName = n.lastName;
  c.dateOfBirth = n.dateOfBirth;
  c.roomId = n.roomId;
  c.keyPersonId = n.keyPersonId && !n.keyPersonId->empty() ? n.keyPersonId : std::nullopt;
  c.startedOn = n.startedOn;
  c.leftOn = n.leftOn && !n.leftOn->empty() ? n.leftOn : std::nullopt;
  c.createdAt = c.updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.insertChild(c);
    ctx_.audit.record(Event::ChildCreated, AuditActor::of(p), AuditTarget{"child", c.id}, {{"room_id", c.roomId}});
  });
  return c;
}

storage::ChildRecord ChildrenService::updateChild(const Principal& p, const std::string& childId, const ChildChange& ch) {
  requireManager(p);
  auto c = requireChild(childId);
  Json changed = Json::array();
  if (ch.firstName) { checkName(*ch.firstName, "first_name", "A first name"); c.firstName = *ch.firstName; changed.push_back("first_name"); }
  if (ch.lastName) { checkName(*ch.lastName, "last_name", "A last name"); c.lastName = *ch.lastName; changed.push_back("last_name"); }
  if (ch.dateOfBirth) {
    if (!isDate(*ch.dateOfBirth)) throw invalid("date_of_birth", "Give the date of birth as a date, e.g. 2022-03-14.");
    c.dateOfBirth = *ch.dateOfBirth;
    changed.push_back("date_of_birth");
  }
  if (ch.roomId) { requireRoom(*ch.roomId); c.roomId = *ch.roomId; changed.push_back("room_id"); }
  if (ch.startedOn) {
    if (!isDate(*ch.startedOn)) throw invalid("started_on", "Give the start date as a date, e.g. 2025-09-01.");
    c.startedOn = *ch.startedOn;
    changed.push_back("started_on");
  }
  if (ch.keyPersonId) {
    checkKeyPerson(ch.keyPersonId);
    c.keyPersonId = ch.keyPersonId->empty() ? std::nullopt : ch.keyPersonId;
    changed.push_back("key_person_id");
  }
  if (ch.leftOn) {
    if (!ch.leftOn->empty() && (!isDate(*ch.leftOn) || *ch.leftOn < c.startedOn)) {
      throw invalid("left_on", "The leaving date must be a date after the start date.");
    }
    c.leftOn = ch.leftOn->empty() ? std::nullopt : ch.leftOn;
    changed.push_back("left_on");
  }
  c.updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.updateChild(c);
    ctx_.audit.record(Event::ChildChanged, AuditActor::of(p), AuditTarget{"child", c.id}, {{"changed", changed}});
  });
  return c;
}

std::vector<storage::UserRecord> ChildrenService::carers(const Principal& p, const std::string& childId) {
  requireManager(p);
  requireChild(childId);
  std::vector<storage::UserRecord> out;
  for (const auto& id : journal_.carersOf(childId)) {
    if (auto user = ctx_.store.userById(id)) out.push_back(*user);
  }
  return out;
}

void ChildrenService::linkCarer(const Principal& p, const std::string& childId, const std::string& parentId) {
  requireManager(p);
  requireChild(childId);
  const auto user = ctx_.store.userById(parentId);
  if (!user || user->role != "parent") {
    throw invalid("parent_id", "Only a parent or carer account can be attached to a child.");
  }
  ctx_.store.transaction([&] {
    journal_.linkCarer(childId, parentId);
    ctx_.audit.record(Event::CarerLinked, AuditActor::of(p), AuditTarget{"child", childId}, {{"parent_id", parentId}});
  });
}

void ChildrenService::unlinkCarer(const Principal& p, const std::string& childId, const std::string& parentId) {
  requireManager(p);
  requireChild(childId);
  ctx_.store.transaction([&] {
    journal_.unlinkCarer(childId, parentId);
    ctx_.audit.record(Event::CarerUnlinked, AuditActor::of(p), AuditTarget{"child", childId}, {{"parent_id", parentId}});
  });
}

storage::ConsentRecord ChildrenService::consent(const Principal& p, const std::string& childId) {
  // Staff read every child's; a family reads what the setting recorded for their own child
  // (issue 16: they see it before their journal opens). Another child is "not found".
  if (!AccessPolicy::isStaff(p) && !access_.mayViewChild(p, childId)) throw notFound("child");
  requireChild(childId);
  return journal_.consent(childId).value_or(storage::ConsentRecord{childId, false, false, false, "", 0, ""});
}

std::map<std::string, storage::ConsentRecord> ChildrenService::consents(const Principal& p,
                                                                      const std::vector<storage::ChildRecord>& children) {
  requireStaff(p);
  std::vector<std::string> ids;
  std::map<std::string, storage::ConsentRecord> out;
  for (const auto& c : children) {
    ids.push_back(c.id);
    out[c.id] = storage::ConsentRecord{c.id, false, false, false, "", 0, ""};
  }
  for (auto& r : journal_.consents(ids)) out[r.childId] = std::move(r);
  return out;
}

storage::ConsentRecord ChildrenService::recordConsent(const Principal& p, const std::string& childId,
                                                      const ConsentChange& change) {
  requireManager(p);
  requireChild(childId);
  if (change.note.size() > 1000) throw invalid("note", "Keep the note to 1000 characters.");
  storage::ConsentRecord record{childId, change.ownJournalPhotos, change.otherJournals, change.onlineJournalOptOut,
                                p.userId, ctx_.clock.now(), change.note};
  ctx_.store.transaction([&] {
    journal_.putConsent(record);
    ctx_.audit.record(Event::ConsentRecorded, AuditActor::of(p), AuditTarget{"child", childId},
                      {{"own_journal_photos", record.ownJournalPhotos},
                       {"other_journals", record.otherJournals},
                       {"online_journal_opt_out", record.onlineJournalOptOut}});
  });
  return record;
}

storage::ConsentRecord ChildrenService::optOut(const Principal& p, const std::string& childId) {
  if (p.role != Role::parent || p.childViewOf) {
    throw DomainError(ErrorKind::forbidden, "parents_only", "Only a child's family can opt them out here; managers use the consent register.");
  }
  // Their own child, even one already opted out (whom family() no longer lists).
  if (!isCarer(p.userId, childId)) throw notFound("child");
  const auto child = requireChild(childId);
  if (isArchived(leaving(child))) throw notFound("child");
  auto record = journal_.consent(childId).value_or(storage::ConsentRecord{childId, false, false, false, "", 0, ""});
  if (record.onlineJournalOptOut) return record;
  record.onlineJournalOptOut = true;
  record.recordedBy = p.userId;
  record.recordedAt = ctx_.clock.now();
  record.note = "Opted out by the family from their account.";
  ctx_.store.transaction([&] {
    journal_.putConsent(record);
    ctx_.audit.record(Event::ConsentOptedOut, AuditActor::of(p), AuditTarget{"child", childId});
  });
  return record;
}

void ChildrenService::requirePresent(const std::vector<std::string>& childIds, const std::vector<std::string>& already) {
  for (const auto& id : childIds) {
    if (std::find(already.begin(), already.end(), id) != already.end()) continue;
    const auto child = journal_.child(id);
    if (!child || !hasLeft(leaving(*child))) continue;  // unknown children are the caller's to refuse
    throw DomainError(ErrorKind::unprocessable, "child_left",
                      child->firstName + " left on " + *child->leftOn +
                          ": nothing new is recorded for a child after their leaving date.",
                      "child_ids");
  }
}

std::vector<storage::ConsentRecord> ChildrenService::consentHistory(const Principal& p, const std::string& childId) {
  requireManager(p);
  requireChild(childId);
  return journal_.consentHistory(childId);
}

Agreement ChildrenService::agreement(const Principal& p) {
  const auto s = settings_.current().value_or(storage::SettingRecord{});
  Agreement a{s.agreementVersion, s.agreementText.empty() ? kDefaultParentAgreement : s.agreementText, true};
  if (p.role != Role::parent) return a;
  const std::pair<std::string, int> key{p.userId, a.version};
  {
    std::lock_guard lock(acceptedMutex_);
    if (accepted_.contains(key)) return a;
  }
  a.accepted = journal_.hasAcceptedAgreement(p.userId, a.version);
  if (a.accepted) {
    std::lock_guard lock(acceptedMutex_);
    accepted_.insert(key);
  }
  return a;
}

Agreement ChildrenService::changeAgreement(const Principal& p, const std::string& text) {
  requireManager(p);
  if (text.size() < 20 || text.size() > 20000) throw invalid("text", "The agreement must be 20 to 20000 characters.");
  auto s = settings_.current().value();
  s.agreementText = text;
  s.agreementVersion += 1;
  s.updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    settings_.save(s);  // saves and refreshes the cached setting
    ctx_.audit.record(Event::AgreementChanged, AuditActor::of(p), AuditTarget{"setting", "1"},
                      {{"version", s.agreementVersion}});
  });
  return {s.agreementVersion, text, true};
}

void ChildrenService::acceptAgreement(const Principal& p, int version) {
  if (p.role != Role::parent) throw DomainError(ErrorKind::forbidden, "parents_only", "Only parents accept the agreement.");
  const auto current = agreement(p);
  if (version != current.version) {
    throw DomainError(ErrorKind::conflict, "agreement_changed",
                      "The agreement has changed since you opened it. Read the new version and accept that.", "version");
  }
  ctx_.store.transaction([&] {
    journal_.acceptAgreement(p.userId, version, ctx_.clock.now());
    ctx_.audit.record(Event::AgreementAccepted, AuditActor::of(p), AuditTarget{"user", p.userId}, {{"version", version}});
  });
}

void ChildrenService::requireAgreement(const Principal& p) {
  if (p.role != Role::parent) return;
  {
    std::lock_guard lock(acceptedMutex_);  // the common case, without building the text
    if (accepted_.contains({p.userId, settings_.agreementVersion()})) return;
  }
  if (!agreement(p).accepted) {
    throw DomainError(ErrorKind::forbidden, "agreement_required",
                      "Please read and accept the setting's parent agreement first.");
  }
}

}  // namespace nestbox::domain
