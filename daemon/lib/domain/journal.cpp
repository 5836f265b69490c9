#include "domain/journal.hpp"

#include <algorithm>
#include <set>

#include "domain/curriculum.hpp"
#include "domain/errors.hpp"
#include "domain/media_consent.hpp"

namespace nestbox::domain {
namespace {

DomainError entryNotFound() {
  return DomainError(ErrorKind::notFound, "not_found", "There is no such entry.");
}
bool isStaffKind(const std::string& kind) {
  return kind == "observation" || kind == "snapshot" || kind == "room_post" || kind == "newsletter";
}
bool isStaffStatus(const std::string& status) {
  return status == "draft" || status == "staff_only" || status == "journal";
}
void checkText(const std::string& value, const std::string& field, std::size_t min, std::size_t max) {
  if (value.size() < min || value.size() > max) {
    throw invalid(field, min > 0 ? "'" + field + "' must be " + std::to_string(min) + " to " + std::to_string(max) + " characters."
                                 : "'" + field + "' must be at most " + std::to_string(max) + " characters.");
  }
}
}  // namespace

std::string entrySnapshot(const storage::EntryRecord& e) {
  Json media = Json::array();
  for (const auto& m : e.media) {
    Json children = Json::array();
    for (const auto& tag : m.children) children.push_back({{"child_id", tag.childId}, {"obscured", tag.obscured}});
    media.push_back({{"id", m.id}, {"children", children}});
  }
  return Json{{"media", media}, {"kind", e.kind}, {"status", e.status}, {"room_id", e.roomId ? Json(*e.roomId) : Json(nullptr)},
              {"title", e.title}, {"body", e.body}, {"next_steps", e.nextSteps}, {"observed_on", e.observedOn},
              {"child_ids", e.childIds}, {"aspect_ids", e.aspectIds}, {"version", e.version}}
      .dump();
}

storage::EntryRecord JournalService::requireEntry(const std::string& entryId) {
  auto entry = journal_.entry(entryId);
  if (!entry) throw entryNotFound();
  return *entry;
}

void JournalService::validate(const storage::EntryRecord& e) {
  // A draft is work in progress, saved on the box as staff go (issue 22): it may have no
  // title and no children yet. Everything else holds; the rest, once it leaves draft.
  const bool draft = e.status == "draft";
  checkText(e.title, "title", draft ? 0 : 1, 200);
  checkText(e.body, "body", 0, 20000);
  checkText(e.nextSteps, "next_steps", 0, 5000);
  if (!isDate(e.observedOn)) throw invalid("observed_on", "Give the date observed, e.g. 2026-11-20.");
  if (e.observedOn > settings_.today(ctx_.clock.now())) throw invalid("observed_on", "The date observed is in the future.");
  const bool roomWide = e.kind == "room_post" || e.kind == "newsletter";
  if (roomWide) {
    if (!e.roomId || !journal_.room(*e.roomId)) throw invalid("room_id", "Choose the room this post is for.");
  } else if (e.childIds.empty() && !draft) {
    throw invalid("child_ids", "Choose at least one child.");
  }
  for (const auto& childId : e.childIds) {
    if (!journal_.child(childId)) throw invalid("child_ids", "One of the chosen children does not exist.");
  }
  if (e.kind == "snapshot" && !e.aspectIds.empty()) {
    throw invalid("aspect_ids", "Daily snapshots are not linked to the curriculum.");
  }
  const auto setting = settings_.current();
  const auto& fw = framework(setting ? setting->framework : "eyfs");
  for (const auto& aspect : e.aspectIds) {
    if (!fw.hasAspect(aspect)) throw invalid("aspect_ids", "'" + aspect + "' is not part of the setting's curriculum.");
  }
}

std::vector<storage::MediaRecord> JournalService::resolveMedia(const Principal& p, const storage::EntryRecord& e,
                                                               const std::vector<MediaAttachment>& attachments) {
  if (attachments.size() > 50) throw invalid("media", "Attach at most 50 photos, videos or files to one entry.");
  std::vector<storage::MediaRecord> out;
  std::set<std::string> seen;
  for (const auto& a : attachments) {
    if (!seen.insert(a.mediaId).second) continue;
    auto m = journal_.media(a.mediaId);
    // Someone else's item answers exactly like one that does not exist (no existence oracle):
    // who may attach an item is checked before where it is attached.
    const auto missing = [] { return invalid("media", "One of the attached files does not exist (or is still uploading)."); };
    if (!m) throw missing();
    const bool thisEntrys = m->entryId && *m->entryId == e.id;
    if (!thisEntrys) {
      bool allowed = m->uploadedBy == p.userId;
      if (!allowed && AccessPolicy::isStaff(p)) {
        const auto uploader = ctx_.store.userById(m->uploadedBy);
        allowed = uploader && uploader->role != "parent";  // a colleague's upload
      }
      if (!allowed) throw missing();
      if (m->entryId) throw invalid("media", "One of the files is already attached to another entry.");
    }
    if (m->state == "failed") throw invalid("media", "One of the files could not be processed; remove it and send it again.");
    std::vector<storage::MediaTagRecord> tags;
    std::set<std::string> tagged;
    for (const auto& childId : a.childIds) {
      if (!tagged.insert(childId).second) continue;
      const auto child = journal_.child(childId);
      const bool inEntry = std::find(e.childIds.begin(), e.childIds.end(), childId) != e.childIds.end();
      // On a room post: a child who receives it (in the room when it was posted).
      const bool inRoom = (e.kind == "room_post" || e.kind == "newsletter") &&
                          std::any_of(e.audience.begin(), e.audience.end(),
                                      [&](const storage::EntryAudienceRecord& r) { return r.childId == childId; });
      if (!child || !(inEntry || inRoom)) {
        throw invalid("media", "Tag only children this entry is about (or, on a room post, children of the room).");
      }
      const bool obscured = std::any_of(m->children.begin(), m->children.end(), [&](const storage::MediaTagRecord& t) {
        return t.childId == childId && t.obscured;
      }) && m->redactedSha256;
      const auto consent = journal_.consent(childId);
      const bool allowed = consent && consent->ownJournalPhotos && !consent->onlineJournalOptOut;
      if (!allowed && !obscured) {
        throw DomainError(ErrorKind::unprocessable, "no_photo_consent",
                          child->firstName + " " + child->lastName +
                              " has no consent to photos in their own journal, so cannot be tagged. Obscure them with "
                              "the redaction tool, or choose another photo.",
                          "media")
            .withDetails({{"media_id", m->id}, {"child_ids", {childId}}});
      }
      tags.push_back({childId, obscured});
    }
    // A child obscured by a redaction stays tagged as obscured: leaving them out of the list
    // must not make the photo look as if only consenting children were in it.
    for (const auto& old : m->children) {
      if (old.obscured && m->redactedSha256 && !tagged.contains(old.childId)) tags.push_back(old);
    }
    std::sort(tags.begin(), tags.end(), [](const auto& x, const auto& y) { return x.childId < y.childId; });
    m->children = std::move(tags);
    out.push_back(std::move(*m));
  }
  return out;
}

EntryView JournalService::viewFor(const Principal& p, storage::EntryRecord entry) {
  Viewer v = access_.viewer(p);
  AuthorNames names;
  return viewFor(v, names, std::move(entry));
}

EntryView JournalService::editorView(const Principal& p, storage::EntryRecord entry) {
  EntryView view = viewFor(p, std::move(entry));
  if (view.full) {
    for (const auto& m : view.entry.media) {
      std::vector<std::string> tags;
      for (const auto& t : m.children) tags.push_back(t.childId);
      view.mediaAudiences.emplace(m.id, access_.mediaAudience(m, tags));
    }
    view.namingWarnings = namingWarnings(view.entry);
  }
  return view;
}

std::vector<NamedChild> JournalService::namingWarnings(const storage::EntryRecord& entry) {
  std::vector<std::string> receivers;
  for (const auto& a : entry.audience) receivers.push_back(a.childId);
  if (receivers.empty()) receivers = entry.childIds;
  if (receivers.empty()) return {};
  const std::string text = entry.title + "\n" + entry.body + "\n" + entry.nextSteps;
  storage::ChildQuery present;
  present.presentOn = settings_.today(ctx_.clock.now());
  std::vector<ChildName> children;
  std::map<std::string, std::string> firstNames;
  for (const auto& c : journal_.children(present)) {
    children.push_back({c.id, c.firstName});
    firstNames[c.id] = c.firstName;
  }
  const ConsentLookup consent = [&](const std::string& id) {
    return journal_.consent(id).value_or(storage::ConsentRecord{id, false, false, false, "", 0, ""});
  };
  auto named = namedHiddenChildren(text, receivers, children, consent);
  for (auto& n : named) {
    std::vector<std::string> families;
    for (const auto& r : n.hiddenFrom) families.push_back(firstNames.contains(r) ? firstNames[r] : "another child");
    std::string list;
    for (std::size_t i = 0; i < families.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == families.size() ? " and " : ", ") + families[i];
    }
    n.message = "The words name " + n.name + ", whom the " + (families.size() == 1 ? "family" : "families") + " of " +
                list + " may not see. Write \u201ca friend\u201d instead?";
  }
  return named;
}

std::vector<EntryView> JournalService::viewsFor(const Principal& p, std::vector<storage::EntryRecord> entries) {
  Viewer v = access_.viewer(p);
  AuthorNames names;
  std::vector<EntryView> out;
  out.reserve(entries.size());
  for (auto& e : entries) out.push_back(viewFor(v, names, std::move(e)));
  return out;
}

EntryView JournalService::viewFor(Viewer& v, AuthorNames& names, storage::EntryRecord entry) {
  EntryView view;
  auto name = names.find(entry.authorId);
  if (name == names.end()) {
    const auto author = ctx_.store.userById(entry.authorId);
    name = names.emplace(entry.authorId, author ? author->displayName : std::string()).first;
  }
  view.authorName = name->second;
  access_.shape(v, entry);
  view.full = v.staff;
  view.entry = std::move(entry);
  return view;
}

std::vector<EntryView> JournalService::list(const Principal& p, const storage::EntryQuery& query) {
  children_.requireStaff(p);
  return viewsFor(p, journal_.entries(query));
}

EntryView JournalService::create(const Principal& p, const EntryInput& in) {
  children_.requireStaff(p);
  access_.requireRecordingPlace(p, Event::RecordingRefused);
  if (!isStaffKind(in.kind)) throw invalid("kind", "Choose observation, snapshot, room_post or newsletter.");
  if (!isStaffStatus(in.status)) throw invalid("status", "Choose draft, staff_only or journal.");
  storage::EntryRecord e;
  e.id = newId(ctx_.random);
  e.kind = in.kind;
  e.status = in.status;
  e.roomId = in.roomId;
  e.title = in.title;
  e.body = in.body;
  e.nextSteps = in.nextSteps;
  e.observedOn = in.observedOn;
  e.authorId = p.userId;
  e.childIds = in.childIds;
  e.aspectIds = in.aspectIds;
  std::sort(e.childIds.begin(), e.childIds.end());
  e.childIds.erase(std::unique(e.childIds.begin(), e.childIds.end()), e.childIds.end());
  e.createdAt = e.updatedAt = ctx_.clock.now();
  if (e.status == "journal") e.journalAt = e.createdAt;
  validate(e);
  children_.requirePresent(e.childIds);
  e.audience = access_.audienceFor(e, nullptr);
  e.media = resolveMedia(p, e, in.media);
  ctx_.store.transaction([&] {
    journal_.insertEntry(e);
    ctx_.audit.record(Event::EntryCreated, AuditActor::of(p), AuditTarget{"entry", e.id},
                      {{"kind", e.kind}, {"status", e.status}, {"children", e.childIds.size()}});
  });
  return editorView(p, e);
}

void JournalService::saveAmendment(const Principal& p, storage::EntryRecord& e, Event event, const Json& detail) {
  const auto before = requireEntry(e.id);
  e.audience = access_.audienceFor(e, &before);
  e.updatedAt = ctx_.clock.now();
  // A draft that no one but staff has seen is saved in place as it is written, every few
  // seconds: no version (there is nothing yet to account for) and no audit row per save. It
  // is audited when it leaves draft, and versioned from then on.
  const bool autosave = before.status == "draft" && !before.journalAt;
  const bool audited = !autosave || e.status != before.status;
  e.version = autosave ? before.version : before.version + 1;
  ctx_.store.transaction([&] {
    if (!autosave) journal_.appendEntryVersion({before.id, before.version, p.userId, e.updatedAt, entrySnapshot(before)});
    journal_.updateEntry(e);
    if (audited) ctx_.audit.record(event, AuditActor::of(p), AuditTarget{"entry", e.id}, detail);
  });
}

EntryView JournalService::amend(const Principal& p, const std::string& entryId, const EntryChange& c) {
  children_.requireStaff(p);
  const auto stored = requireEntry(entryId);
  auto e = stored;
  if (e.kind == "home") {
    throw DomainError(ErrorKind::conflict, "contribution", "Approve or return a parent's contribution instead of editing it.");
  }
  Json changed = Json::array();
  if (c.status) {
    if (!isStaffStatus(*c.status)) throw invalid("status", "Choose draft, staff_only or journal.");
    if (*c.status == "journal" && !e.journalAt) e.journalAt = ctx_.clock.now();
    e.status = *c.status;
    changed.push_back("status");
  }
  if (c.title) { e.title = *c.title; changed.push_back("title"); }
  if (c.body) { e.body = *c.body; changed.push_back("body"); }
  if (c.nextSteps) { e.nextSteps = *c.nextSteps; changed.push_back("next_steps"); }
  if (c.observedOn) { e.observedOn = *c.observedOn; changed.push_back("observed_on"); }
  if (c.roomId) { e.roomId = c.roomId->empty() ? std::nullopt : c.roomId; changed.push_back("room_id"); }
  if (c.childIds) { e.childIds = *c.childIds; changed.push_back("child_ids"); }
  if (c.aspectIds) { e.aspectIds = *c.aspectIds; changed.push_back("aspect_ids"); }
  validate(e);
  children_.requirePresent(e.childIds, stored.childIds);
  e.audience = access_.audienceFor(e, &stored);  // tags on a room post are checked against it
  if (c.media) {
    e.media = resolveMedia(p, e, *c.media);
    changed.push_back("media");
  } else if (c.childIds) {
    // Children no longer in the entry cannot stay tagged in its media.
    std::vector<MediaAttachment> kept;
    for (const auto& m : e.media) {
      MediaAttachment a{m.id, {}};
      for (const auto& t : m.children) a.childIds.push_back(t.childId);
      std::erase_if(a.childIds, [&](const std::string& id) {
        return std::find(e.childIds.begin(), e.childIds.end(), id) == e.childIds.end();
      });
      kept.push_back(std::move(a));
    }
    e.media = resolveMedia(p, e, kept);
  }
  saveAmendment(p, e, Event::EntryAmended, {{"changed", changed}});
  return editorView(p, e);
}

EntryView JournalService::get(const Principal& p, const std::string& entryId) {
  children_.requireAgreement(p);
  // Anything the viewer may not see is "not found", whether it exists or not.
  auto entry = journal_.entry(entryId);
  if (!entry || !access_.mayViewEntry(p, *entry)) throw entryNotFound();
  return editorView(p, std::move(*entry));
}

std::vector<std::string> JournalService::discardDraft(const Principal& p, const std::string& entryId) {
  children_.requireStaff(p);
  const auto e = requireEntry(entryId);
  if (e.status != "draft" || e.journalAt) {
    throw DomainError(ErrorKind::conflict, "not_a_draft",
                      "Only a draft that was never in the journal can be discarded. To take an entry out of the "
                      "journal, save it as staff only.");
  }
  if (e.authorId != p.userId && p.role != Role::manager) {
    throw DomainError(ErrorKind::forbidden, "not_yours", "This is a colleague’s draft: only they or a manager can discard it.");
  }
  std::vector<std::string> hashes;
  ctx_.store.transaction([&] {
    hashes = journal_.deleteEntry(entryId);
    ctx_.audit.record(Event::EntryDiscarded, AuditActor::of(p), AuditTarget{"entry", entryId},
                      {{"media", e.media.size()}});
  });
  return hashes;
}

std::vector<storage::EntryVersionRecord> JournalService::versions(const Principal& p, const std::string& entryId) {
  children_.requireStaff(p);
  requireEntry(entryId);
  return journal_.entryVersions(entryId);
}

std::vector<EntryView> JournalService::childJournal(const Principal& p, const std::optional<storage::EntryCursor>& before,
                                                   int limit) {
  if (!p.childViewOf) throw DomainError(ErrorKind::forbidden, "not_in_child_view", "This is only shown in child view.");
  return viewsFor(p, journal_.visibleEntries(access_.childViewEntries(*p.childViewOf), {std::nullopt, before, limit, std::nullopt}));
}

std::shared_ptr<const FeedPage> JournalService::feed(const Principal& p, const storage::ParentFeedQuery& query) {
  if (p.role != Role::parent) {
    throw DomainError(ErrorKind::forbidden, "parents_only", "The family feed is for parents; staff use the journal list.");
  }
  children_.requireAgreement(p);
  storage::ParentFeedQuery q = query;
  q.now = ctx_.clock.now();
  // The family, remembered while nothing setting-wide (carers among it) has changed, and for
  // the setting's day only: a leaver's journal is archived when a day begins (leaving.hpp).
  const uint64_t settingWide = journal_.feedVersion();
  const std::string today = settings_.today(q.now);
  std::vector<std::string> family;
  {
    std::lock_guard lock(feedMutex_);
    const auto known = families_.find(p.userId);
    if (known != families_.end() && known->second.version == settingWide && known->second.day == today) {
      family = known->second.children;
    }
  }
  if (family.empty()) {
    const auto children = access_.family(p);
    family.assign(children.begin(), children.end());
    std::lock_guard lock(feedMutex_);
    if (families_.size() >= kFeedCacheLimit) families_.clear();
    families_.insert_or_assign(p.userId, CachedFamily{settingWide, today, family});
  }
  if (q.childId && std::find(family.begin(), family.end(), *q.childId) == family.end()) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such child.");
  }
  const std::string key = p.userId + '|' + q.childId.value_or("") + '|' + q.aspectId.value_or("") + '|' +
                          (q.before ? std::to_string(q.before->time) + '.' + q.before->id : "") + '|' +
                          std::to_string(q.limit) + '|' + q.month.value_or("") + '|' + today;
  // Read before querying: the store moves versions only after a write commits, so a page
  // computed while a write lands is stored under the older version and recomputed next time
  // — never a stale page that looks fresh. Only this family's children's versions count: a
  // write about another child leaves this page valid.
  const uint64_t version = journal_.feedVersion(family);
  {
    std::lock_guard lock(feedMutex_);
    const auto hit = feedCache_.find(key);
    if (hit != feedCache_.end() && hit->second.version == version &&
        (!hit->second.validUntil || q.now < *hit->second.validUntil)) {
      return hit->second.page;
    }
  }
  storage::VisibleEntryQuery visible{q.aspectId, q.before, q.limit, std::nullopt};
  if (q.month) {
    // Shared in that month of the setting's calendar: from its first midnight to the next
    // month's, the end as a cursor bound (exclusive).
    const auto calendar = settings_.calendar();
    const std::string first = *q.month + "-01";
    const int64_t end = calendar.startOfDay(Calendar::addDays(first, 31).substr(0, 7) + "-01");
    visible.since = calendar.startOfDay(first);
    if (!visible.before || visible.before->time > end) visible.before = storage::EntryCursor{end, ""};
  }
  auto page = std::make_shared<FeedPage>();
  page->views = viewsFor(p, journal_.visibleEntries(access_.familyEntries(p, q.childId, q.now), visible));
  annotateCards(p, family, page->views);
  CachedFeed fresh{version, journal_.nextReleaseAfter(q.now), page};
  std::lock_guard lock(feedMutex_);
  if (feedCache_.size() >= kFeedCacheLimit) feedCache_.clear();
  feedCache_.insert_or_assign(key, std::move(fresh));
  return page;
}

std::vector<std::string> JournalService::feedMonths(const Principal& p, const std::optional<std::string>& childId) {
  if (p.role != Role::parent) {
    throw DomainError(ErrorKind::forbidden, "parents_only", "The family feed is for parents; staff use the journal list.");
  }
  children_.requireAgreement(p);
  if (childId && !access_.family(p).contains(*childId)) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such child.");
  }
  const int64_t now = ctx_.clock.now();
  const auto visible = access_.familyEntries(p, childId, now);
  const auto calendar = settings_.calendar();
  // The newest entry shared before the start of the last month found gives the next month.
  std::vector<std::string> months;
  storage::VisibleEntryQuery q{std::nullopt, std::nullopt, 1, std::nullopt};
  while (static_cast<int>(months.size()) < kFeedMonthsLimit) {
    const auto found = journal_.visibleEntries(visible, q);
    if (found.empty() || !found.front().journalAt) break;
    const std::string month = settings_.today(*found.front().journalAt).substr(0, 7);
    const int64_t start = calendar.startOfDay(month + "-01");
    if (q.before && start >= q.before->time) break;  // no progress: never loop
    months.push_back(month);
    q.before = storage::EntryCursor{start, ""};
  }
  return months;
}

// The family's own comment counts and this parent's hearts, read for the whole page at once.
// Both move the children's feed versions when written, so the page stays valid meanwhile.
void JournalService::annotateCards(const Principal& p, const std::vector<std::string>& family,
                                   std::vector<EntryView>& views) {
  std::vector<std::string> ids;
  for (const auto& v : views) ids.push_back(v.entry.id);
  const auto counts = engagement_.commentCounts(ids, family);
  const auto hearts = engagement_.heartsBy(p.userId, ids);
  for (auto& v : views) {
    const auto c = counts.find(v.entry.id);
    v.commentCount = c == counts.end() ? 0 : c->second;
    if (const auto h = hearts.find(v.entry.id); h != hearts.end()) v.heartedChildIds = h->second;
  }
}

EntryView JournalService::review(const Principal& p, const std::string& entryId, bool returnToAuthor,
                                 const std::string& note) {
  children_.requireManager(p);
  auto e = requireEntry(entryId);
  checkText(note, "note", returnToAuthor ? 1 : 0, 2000);
  e.reviewedAt = ctx_.clock.now();
  e.reviewedBy = p.userId;
  e.reviewNote = note;
  if (returnToAuthor) e.status = "staff_only";  // out of the journal until the author amends it
  saveAmendment(p, e, returnToAuthor ? Event::EntryReturned : Event::EntryReviewed, {{"note", !note.empty()}});
  return viewFor(p, e);
}

EntryView JournalService::contribute(const Principal& p, const HomeObservation& o) {
  if (p.role != Role::parent) throw DomainError(ErrorKind::forbidden, "parents_only", "Home observations come from parents.");
  children_.requireAgreement(p);
  if (!children_.isCarer(p.userId, o.childId)) throw invalid("child_id", "Choose one of your children.");
  storage::EntryRecord e;
  e.id = newId(ctx_.random);
  e.kind = "home";
  e.status = "pending";
  e.title = o.title;
  e.body = o.body;
  e.observedOn = o.observedOn;
  e.authorId = p.userId;
  e.childIds = {o.childId};
  e.createdAt = e.updatedAt = ctx_.clock.now();
  validate(e);
  children_.requirePresent(e.childIds);
  e.audience = access_.audienceFor(e, nullptr);
  std::vector<MediaAttachment> attachments;
  for (const auto& id : o.mediaIds) attachments.push_back({id, {}});
  e.media = resolveMedia(p, e, attachments);
  ctx_.store.transaction([&] {
    journal_.insertEntry(e);
    ctx_.audit.record(Event::ContributionSubmitted, AuditActor::of(p), AuditTarget{"entry", e.id});
  });
  return viewFor(p, e);
}

std::vector<EntryView> JournalService::contributions(const Principal& p, const std::optional<std::string>& status) {
  storage::EntryQuery q;
  q.kind = "home";
  q.status = status;
  q.limit = 200;
  if (p.role == Role::parent) {
    children_.requireAgreement(p);
    q.authorId = p.userId;
  }
  return viewsFor(p, journal_.entries(q));
}

EntryView JournalService::approveContribution(const Principal& p, const std::string& entryId,
                                              const std::optional<std::vector<MediaAttachment>>& media) {
  children_.requireStaff(p);
  auto e = requireEntry(entryId);
  if (e.kind != "home" || e.status != "pending") {
    throw DomainError(ErrorKind::conflict, "not_pending", "Only a contribution waiting for approval can be approved.");
  }
  if (media) {
    e.media = resolveMedia(p, e, *media);
  } else {
    // Unless staff say who is in each item, it shows the child the contribution is about,
    // which needs that child's photo consent like any other tag.
    std::vector<MediaAttachment> tagged;
    for (const auto& m : e.media) tagged.push_back({m.id, m.children.empty() ? e.childIds : std::vector<std::string>{}});
    for (std::size_t i = 0; i < e.media.size(); ++i) {
      for (const auto& t : e.media[i].children) tagged[i].childIds.push_back(t.childId);
    }
    e.media = resolveMedia(p, e, tagged);
  }
  e.status = "journal";
  e.journalAt = ctx_.clock.now();
  e.returnedReason.clear();
  saveAmendment(p, e, Event::ContributionApproved, Json::object());
  return viewFor(p, e);
}

EntryView JournalService::returnContribution(const Principal& p, const std::string& entryId, const std::string& reason) {
  children_.requireStaff(p);
  auto e = requireEntry(entryId);
  if (e.kind != "home" || e.status != "pending") {
    throw DomainError(ErrorKind::conflict, "not_pending", "Only a contribution waiting for approval can be returned.");
  }
  checkText(reason, "reason", 1, 2000);
  e.status = "returned";
  e.returnedReason = reason;
  saveAmendment(p, e, Event::ContributionReturned, Json::object());
  return viewFor(p, e);
}

storage::EntryRecord JournalService::requireThread(const Principal& p, const std::string& entryId,
                                                  const std::string& childId) {
  children_.requireAgreement(p);
  // One answer for a missing entry, a child not in it and a family's thread that is not
  // theirs: none of them tells whether the entry exists.
  auto entry = journal_.entry(entryId);
  if (!entry || !access_.mayViewThread(p, *entry, childId)) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such conversation.");
  }
  return std::move(*entry);
}

std::vector<storage::CommentRecord> JournalService::thread(const Principal& p, const std::string& entryId,
                                                           const std::string& childId) {
  requireThread(p, entryId, childId);
  auto comments = journal_.thread(entryId, childId);
  if (!AccessPolicy::isStaff(p)) {
    std::erase_if(comments, [](const storage::CommentRecord& c) { return c.hiddenAt.has_value(); });
  }
  return comments;
}

storage::CommentRecord JournalService::addComment(const Principal& p, const std::string& entryId,
                                                  const std::string& childId, const std::string& body) {
  const auto entry = requireThread(p, entryId, childId);
  if (entry.status != "journal") {
    throw DomainError(ErrorKind::conflict, "not_in_journal", "Comments open once the entry is in the journal.");
  }
  checkText(body, "body", 1, 4000);
  storage::CommentRecord c{newId(ctx_.random), entryId, childId, p.userId, body, ctx_.clock.now(), {}, {}, ""};
  journal_.insertComment(c);
  return c;
}

void JournalService::hideComment(const Principal& p, const std::string& commentId, const std::string& reason) {
  children_.requireStaff(p);
  const auto c = journal_.comment(commentId);
  if (!c) throw DomainError(ErrorKind::notFound, "not_found", "There is no such comment.");
  checkText(reason, "reason", 1, 500);
  ctx_.store.transaction([&] {
    journal_.hideComment(commentId, p.userId, ctx_.clock.now(), reason);
    ctx_.audit.record(Event::CommentHidden, AuditActor::of(p), AuditTarget{"comment", commentId}, {{"reason", reason}});
  });
}

std::map<std::string, std::vector<std::string>> JournalService::heartsOf(const Principal& p, const std::string& childId) {
  if (!AccessPolicy::isStaff(p) && !access_.mayViewChild(p, childId)) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such child.");
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& h : engagement_.heartsOfChild(childId)) out[h.entryId].push_back(h.userId);
  return out;
}

}  // namespace nestbox::domain
