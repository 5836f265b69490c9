#include "domain/access_policy.hpp"

#include <algorithm>

#include "domain/errors.hpp"

namespace nestbox::domain {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool isRoomWide(const storage::EntryRecord& e) { return e.kind == "room_post" || e.kind == "newsletter"; }

// The visibility SQL. Entries are `e`; receivers (entry_audience: who receives an entry, the
// room they were in when it was made, and its journal time while it is in the journal) are
// `ea`. Parameters are prefixed so they cannot meet the store's own (:entry, :aspect,
// :before_*, :limit).
//
// Released: a room's journal is released up to its latest release point that has passed
// (scheduled dates and early releases alike); a live room releases everything. Decided by the
// room the child was in when the entry was made (ea.room_id), not the room they are in now.
constexpr const char* kReleasedForReceiver =
    "(r.release_mode = 'live' OR ea.journal_at <= (SELECT max(p.at) FROM room_release_points p"
    " WHERE p.room_id = ea.room_id AND p.at <= :policy_now))";
// The family's children who are not opted out of the online journal, nor archived (left
// before :policy_read_from, the first leaving date whose family still reads; leaving.hpp).
constexpr const char* kFamilyChildren =
    "SELECT cc.child_id FROM child_carers cc JOIN children c ON c.id = cc.child_id"
    " LEFT JOIN consents k ON k.child_id = cc.child_id"
    " WHERE cc.parent_id = :policy_parent AND COALESCE(k.online_journal_opt_out, 0) = 0"
    " AND (c.left_on IS NULL OR c.left_on >= :policy_read_from)";
constexpr const char* kOneChild = " AND cc.child_id = :policy_child";

}  // namespace

bool AccessPolicy::isStaff(const Principal& p) { return p.role != Role::parent && !p.childViewOf; }

std::set<std::string> AccessPolicy::family(const Principal& p) {
  std::set<std::string> family;
  if (p.childViewOf) {
    family.insert(*p.childViewOf);
  } else if (p.role == Role::parent) {
    for (const auto& c : journal_.childrenOfParent(p.userId)) {
      if (!isArchived(leavingOf(c))) family.insert(c.id);
    }
  }
  return family;
}

std::optional<Leaving> AccessPolicy::leavingOf(const storage::ChildRecord& child) {
  const auto s = settings_.current();
  const storage::SettingRecord defaults;
  const auto& setting = s ? *s : defaults;
  return domain::leavingOf(child.leftOn, settings_.today(ctx_.clock.now()), setting.leaverReadDays,
                           setting.leaverArchiveDays);
}

AccessPolicy::Viewer AccessPolicy::viewer(const Principal& p) {
  Viewer v{p, isStaff(p), {}, {}};
  if (!v.staff) v.family = family(p);
  return v;
}

storage::ConsentRecord AccessPolicy::consentOf(const std::string& childId) {
  // No record means no consent to anything.
  return journal_.consent(childId).value_or(storage::ConsentRecord{childId, false, false, false, "", 0, ""});
}

storage::ConsentRecord AccessPolicy::consentOf(Viewer& v, const std::string& childId) {
  auto found = v.consents.find(childId);
  if (found == v.consents.end()) found = v.consents.emplace(childId, consentOf(childId)).first;
  return found->second;
}

storage::SqlFilter AccessPolicy::familyEntries(const Principal& p, const std::optional<std::string>& childId,
                                               int64_t now) {
  storage::SqlFilter f;
  // One entry: received by one of the family's children who is not opted out, released for
  // the room they were in. ("In the journal" is the receiver row's journal time: set exactly
  // while the entry is.)
  f.where = std::string("e.status = 'journal' AND EXISTS (SELECT 1 FROM entry_audience ea JOIN rooms r ON r.id = ea.room_id"
                        " WHERE ea.entry_id = e.id AND ea.journal_at IS NOT NULL AND ea.child_id IN (") +
            kFamilyChildren + (childId ? kOneChild : "") + ") AND " + kReleasedForReceiver + ")";
  const auto setting = settings_.current();
  const int readDays = (setting ? *setting : storage::SettingRecord{}).leaverReadDays;
  f.params = {{":policy_parent", p.userId}, {":policy_now", now},
              {":policy_read_from", Calendar::addDays(settings_.today(now), -readDays)}};
  if (childId) f.params.emplace_back(":policy_child", *childId);
  // Lists: one arm per child of the family (the one asked for), opted-out children none.
  int n = 0;
  for (const auto& child : family(p)) {
    if (childId && child != *childId) continue;
    if (consentOf(child).onlineJournalOptOut) continue;
    const std::string name = ":policy_child" + std::to_string(n++);
    f.listing.push_back("FROM entry_audience ea JOIN rooms r ON r.id = ea.room_id WHERE ea.child_id = " + name +
                        " AND ea.journal_at IS NOT NULL AND " + kReleasedForReceiver);
    f.params.emplace_back(name, child);
  }
  return f;
}

storage::SqlFilter AccessPolicy::childViewEntries(const std::string& childId) const {
  storage::SqlFilter f;
  f.where = "e.status = 'journal' AND EXISTS (SELECT 1 FROM entry_audience ea"
            " WHERE ea.entry_id = e.id AND ea.child_id = :policy_child AND ea.journal_at IS NOT NULL)";
  f.listing = {"FROM entry_audience ea WHERE ea.child_id = :policy_child AND ea.journal_at IS NOT NULL"};
  f.params = {{":policy_child", childId}};
  return f;
}

bool AccessPolicy::mayViewChild(const Principal& p, const std::string& childId) {
  if (isStaff(p)) return journal_.child(childId).has_value();
  return family(p).contains(childId);
}

bool AccessPolicy::mayViewEntry(const Principal& p, const storage::EntryRecord& e) {
  if (isStaff(p)) return true;
  if (p.childViewOf) return journal_.entryVisible(e.id, childViewEntries(*p.childViewOf));
  if (e.kind == "home" && e.authorId == p.userId) return true;  // their own contribution, in any state
  return journal_.entryVisible(e.id, familyEntries(p, std::nullopt, ctx_.clock.now()));
}

bool AccessPolicy::mayViewThread(const Principal& p, const storage::EntryRecord& e, const std::string& childId) {
  const bool exists = std::any_of(e.audience.begin(), e.audience.end(),
                                  [&](const storage::EntryAudienceRecord& a) { return a.childId == childId; });
  if (!exists) return false;
  if (isStaff(p)) return true;
  if (p.childViewOf || p.role != Role::parent) return false;
  return family(p).contains(childId) &&
         journal_.entryVisible(e.id, familyEntries(p, childId, ctx_.clock.now()));
}

MediaCopy AccessPolicy::mediaCopy(const Principal& p, const storage::MediaRecord& m) {
  if (isStaff(p)) return copyForStaff(m);
  bool visible = false;
  if (!m.entryId) {
    visible = !p.childViewOf && m.uploadedBy == p.userId;  // their own upload, before it is sent
  } else if (const auto entry = journal_.entry(*m.entryId)) {
    visible = mayViewEntry(p, *entry);
  }
  if (!visible) return MediaCopy::none;
  const auto lookup = [&](const std::string& childId) { return consentOf(childId); };
  return copyForFamily(m, family(p), lookup);
}

void AccessPolicy::shape(Viewer& v, storage::EntryRecord& entry) {
  if (v.staff) return;
  // Only their own children, never another child's id, name, room or tag.
  std::erase_if(entry.childIds, [&](const std::string& id) { return !v.family.contains(id); });
  std::erase_if(entry.audience, [&](const storage::EntryAudienceRecord& a) { return !v.family.contains(a.childId); });
  entry.reviewNote.clear();
  entry.reviewedBy.reset();
  entry.reviewedAt.reset();
  if (entry.kind != "home") entry.returnedReason.clear();
  // Consent at the pixel, from the register as it is now; of the children in an item, only
  // their own are named.
  const auto lookup = [&](const std::string& childId) { return consentOf(v, childId); };
  std::erase_if(entry.media, [&](const storage::MediaRecord& m) {
    return copyForFamily(m, v.family, lookup) == MediaCopy::none;
  });
  for (auto& m : entry.media) {
    std::erase_if(m.children, [&](const storage::MediaTagRecord& t) { return !v.family.contains(t.childId); });
    for (auto& tag : m.children) tag.obscured = false;
    m.sha256.reset();
    m.redactedSha256.reset();
    m.uploadedBy.clear();
  }
}

std::vector<storage::EntryAudienceRecord> AccessPolicy::audienceFor(const storage::EntryRecord& e,
                                                                    const storage::EntryRecord* before) {
  std::map<std::string, std::string> rooms;  // child -> room
  const auto earlier = [&](const std::string& childId) -> std::optional<std::string> {
    if (!before) return std::nullopt;
    for (const auto& a : before->audience) {
      if (a.childId == childId) return a.roomId;
    }
    return std::nullopt;
  };
  for (const auto& childId : e.childIds) {
    if (auto room = earlier(childId)) {
      rooms.emplace(childId, *room);
    } else if (const auto child = journal_.child(childId)) {
      rooms.emplace(childId, child->roomId);
    }
  }
  if (isRoomWide(e) && e.roomId) {
    // Fixed once the post is in the journal; a draft follows the room until it is posted.
    const bool posted = before && before->journalAt && before->roomId == e.roomId;
    if (posted) {
      for (const auto& a : before->audience) {
        if (a.roomId == *e.roomId) rooms.emplace(a.childId, a.roomId);
      }
    } else {
      storage::ChildQuery q;
      q.roomId = e.roomId;
      q.presentOn = settings_.today(ctx_.clock.now());
      for (const auto& c : journal_.children(q)) rooms.emplace(c.id, c.roomId);
    }
  }
  std::vector<storage::EntryAudienceRecord> out;
  for (const auto& [child, room] : rooms) out.push_back({child, room});
  return out;
}

MediaAudience AccessPolicy::mediaAudience(const storage::MediaRecord& m, const std::vector<std::string>& childIds) {
  MediaAudience a;
  for (const auto& id : childIds) {
    if (!contains(a.tagged, id)) a.tagged.push_back(id);
  }
  if (a.tagged.empty()) {
    a.everyone = true;
    return a;
  }
  std::map<std::string, storage::ConsentRecord> consents;
  for (const auto& id : a.tagged) consents.emplace(id, consentOf(id));
  const auto lookup = [&](const std::string& id) { return consents.contains(id) ? consents.at(id) : consentOf(id); };
  const auto obscured = [&](const std::string& id) {
    return m.redactedSha256 && std::any_of(m.children.begin(), m.children.end(), [&](const storage::MediaTagRecord& t) {
             return t.childId == id && t.obscured;
           });
  };
  // The item as the box would take it: a refused child is obscured or unticked first, so
  // either way they stop limiting who sees it.
  storage::MediaRecord hypothetical = m;
  hypothetical.children.clear();
  for (const auto& id : a.tagged) {
    const auto& c = consents.at(id);
    const bool own = c.ownJournalPhotos && !c.onlineJournalOptOut;
    if (!own && !obscured(id)) {
      a.refused.push_back({id, c.onlineJournalOptOut ? "opted_out" : "no_photo_consent"});
      continue;
    }
    hypothetical.children.push_back({id, obscured(id)});
  }
  const auto refused = [&](const std::string& id) {
    return std::any_of(a.refused.begin(), a.refused.end(), [&](const auto& r) { return r.childId == id; });
  };
  for (const auto& id : a.tagged) {
    if (refused(id)) continue;
    if (copyForFamily(hypothetical, {id}, lookup) != MediaCopy::none) a.seenBy.push_back(id);
  }
  for (const auto& id : a.tagged) {
    if (refused(id) || obscured(id) || mayShowChild(id, consents.at(id), {})) continue;
    MediaAudience::Obscure o{id, {}};
    for (const auto& other : a.tagged) {
      if (other != id && !refused(other) && !contains(a.seenBy, other)) o.hiddenFrom.push_back(other);
    }
    if (!o.hiddenFrom.empty()) a.obscure.push_back(std::move(o));
  }
  return a;
}

void AccessPolicy::requireRecordingPlace(const Principal& p, Event refusal) {
  if (p.role == Role::parent) return;  // home observations come from home
  const char* what = refusal == Event::RecordingRefused ? "Observations are recorded" : "Photos and videos are accepted";
  if (!p.deviceId) {
    ctx_.audit.record(refusal, AuditActor::of(p), std::nullopt, {{"reason", "no_device"}});
    throw DomainError(ErrorKind::forbidden, "device_required",
                      std::string(what) + " only from the setting's registered tablets. "
                                          "Use a registered tablet, or ask a manager to register this one.");
  }
  if (!settings_.isSecureAddress(p.origin.address)) {
    ctx_.audit.record(refusal, AuditActor::of(p), std::nullopt,
                      {{"reason", "insecure_network"}, {"address", p.origin.address}});
    throw DomainError(ErrorKind::forbidden, "insecure_network",
                      "This network is not one of the setting's secure networks (guest Wi-Fi?). "
                      "Connect the tablet to the staff network and try again.");
  }
}

}  // namespace nestbox::domain
