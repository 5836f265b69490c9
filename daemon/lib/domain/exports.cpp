#include "domain/exports.hpp"

#include <algorithm>
#include <filesystem>

#include "core/log.hpp"
#include "domain/access_policy.hpp"
#include "domain/curriculum.hpp"
#include "domain/errors.hpp"
#include "domain/export_page.hpp"
#include "storage/zip_archive.hpp"

namespace nestbox::domain {
namespace {

constexpr int kPage = 100;

std::string childName(const storage::ChildRecord& c) { return c.firstName + " " + c.lastName; }

// A folder or file name that every file system takes: no separators, controls or leading dots.
std::string safeName(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || std::string_view("/\\:*?\"<>|").find(ch) != std::string_view::npos) {
      out += '-';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  if (out.size() > 80) out.resize(80);
  return out.empty() ? "child" : out;
}

int64_t sizeOf(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

struct Stopped {
  std::string reason;
};

}  // namespace

// One export being made: what it gathers, as it goes.
struct ExportService::Job {
  storage::ExportRecord record;
  Principal who;
  std::vector<storage::ZipMember> members;
  std::set<std::string> mediaInZip;  // "<folder>/media/<name>" already added
  int64_t entries = 0;
};

ExportService::ExportService(Context& ctx, storage::ExportStore& store, SettingsService& settings,
                             ChildrenService& children, JournalService& journal, MediaService& media,
                             LockdownService& lockdown, storage::MediaFiles& files, media::MediaProcessor& processor,
                             system::Executor& workers, const system::Disk& disk)
    : ctx_(ctx),
      store_(store),
      settings_(settings),
      children_(children),
      journal_(journal),
      media_(media),
      lockdown_(lockdown),
      files_(files),
      processor_(processor),
      workers_(workers),
      disk_(disk) {}

void ExportService::checkSpace(int64_t needed) {
  const auto usage = disk_.usage();
  if (usage.freeBytes - needed < settings_.storageReserve(usage.totalBytes)) {
    throw DomainError(ErrorKind::insufficientStorage, "insufficient_storage",
                      "The box has too little free space for this export. Ask a manager to free space (or remove "
                      "other exports), then try again.");
  }
}

ExportView ExportService::request(const Principal& p, const std::string& childId) {
  if (p.childViewOf || !(p.role == Role::parent || p.role == Role::manager)) {
    throw DomainError(ErrorKind::forbidden, "forbidden", "Only a child's family or a manager can export a journal.");
  }
  children_.child(p, childId);  // not theirs: not found
  return start(p, p.role == Role::parent ? "family" : "manager", std::nullopt, {childId});
}

ExportView ExportService::requestLeavers(const Principal& p, const std::string& roomId) {
  children_.requireManager(p);
  storage::ChildQuery q;
  q.roomId = roomId;
  q.includeLeft = true;
  std::vector<std::string> leavers;
  for (const auto& c : children_.children(p, q)) {
    if (c.leftOn && !c.leftOn->empty()) leavers.push_back(c.id);
  }
  if (leavers.empty()) {
    throw DomainError(ErrorKind::unprocessable, "no_leavers",
                      "No child of this room has a leaving date. Set the date on the child's page first.", "room_id");
  }
  return start(p, "leavers", roomId, leavers);
}

ExportView ExportService::start(const Principal& p, const std::string& scope, const std::optional<std::string>& roomId,
                                const std::vector<std::string>& childIds) {
  for (const auto& e : store_.exportsBy(p.userId, 50)) {
    if ((e.state == "queued" || e.state == "running") && e.childIds == childIds) {
      throw DomainError(ErrorKind::conflict, "export_running",
                        "This journal is already being exported; it will be ready to download shortly.");
    }
  }
  checkSpace(0);
  storage::ExportRecord r;
  r.id = newId(ctx_.random);
  r.requestedBy = p.userId;
  r.scope = scope;
  r.roomId = roomId;
  r.state = "queued";
  r.createdAt = ctx_.clock.now();
  r.childIds = childIds;
  ctx_.store.transaction([&] {
    store_.insertExport(r);
    ctx_.audit.record(Event::ExportRequested, AuditActor::of(p), AuditTarget{"export", r.id},
                      {{"scope", scope}, {"children", childIds}, {"room", roomId ? Json(*roomId) : Json(nullptr)}});
  });
  {
    std::lock_guard lock(mutex_);
    live_[r.id] = Live{"queued", 0, 0, {}};
  }
  const Principal who = p;
  workers_.post([this, id = r.id, who] { run(id, who); });
  return viewOf(r);
}

ExportView ExportService::viewOf(const storage::ExportRecord& record) {
  ExportView v;
  v.record = record;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = live_.find(record.id); it != live_.end() && record.state == "running") {
      v.record.step = it->second.step;
      v.record.done = it->second.done;
      v.record.total = it->second.total;
    }
  }
  for (const auto& id : record.childIds) {
    const auto child = children_.requireChild(id);
    v.children.emplace_back(id, childName(child));
  }
  if (record.roomId) v.room = std::pair{*record.roomId, children_.requireRoom(*record.roomId).name};
  return v;
}

storage::ExportRecord ExportService::requireOwn(const Principal& p, const std::string& exportId) {
  auto r = store_.exportById(exportId);
  if (!r || r->requestedBy != p.userId || p.childViewOf) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such export.");
  }
  return *r;
}

std::vector<ExportView> ExportService::list(const Principal& p) {
  std::vector<ExportView> out;
  if (p.childViewOf) return out;
  for (const auto& r : store_.exportsBy(p.userId, 50)) out.push_back(viewOf(r));
  return out;
}

ExportView ExportService::get(const Principal& p, const std::string& exportId) { return viewOf(requireOwn(p, exportId)); }

void ExportService::cancel(const Principal& p, const std::string& exportId) {
  auto r = requireOwn(p, exportId);
  if (r.state == "queued" || r.state == "running") {
    std::lock_guard lock(mutex_);
    if (auto it = live_.find(r.id); it != live_.end()) it->second.stopReason = "requester";
    return;  // the job stops at its next step and records it
  }
  if (r.state == "ready") {
    std::error_code ignored;
    std::filesystem::remove(files_.exportPath(r.id), ignored);
    r.state = "expired";
    r.expiresAt = ctx_.clock.now();
    ctx_.store.transaction([&] {
      store_.updateExport(r);
      ctx_.audit.record(Event::ExportRemoved, AuditActor::of(p), AuditTarget{"export", r.id}, {{"reason", "requester"}});
    });
  }
}

ServedExport ExportService::download(const Principal& p, const std::string& exportId, bool resumed) {
  auto r = requireOwn(p, exportId);
  // A family no longer attached to the child (or a manager no longer one) gets nothing more.
  if (r.scope == "family") {
    for (const auto& child : r.childIds) children_.child(p, child);
  } else {
    children_.requireManager(p);
  }
  const int64_t now = ctx_.clock.now();
  const std::string path = files_.exportPath(r.id);
  if (r.state == "ready" && (r.expiresAt.value_or(0) <= now || !std::filesystem::exists(path))) {
    expire();
    r = requireOwn(p, exportId);
  }
  if (r.state == "expired") {
    throw DomainError(ErrorKind::gone, "export_expired",
                      "This export has been removed (exports are kept for 7 days). Ask for a new one.");
  }
  if (r.state != "ready") {
    throw DomainError(ErrorKind::conflict, "export_not_ready", "This export is not ready to download.");
  }
  if (!resumed || !r.downloadedAt) {
    if (!r.downloadedAt) r.downloadedAt = now;
    ctx_.store.transaction([&] {
      store_.updateExport(r);
      ctx_.audit.record(Event::ExportDownloaded, AuditActor::of(p), AuditTarget{"export", r.id},
                        {{"children", r.childIds}, {"bytes", r.bytes.value_or(0)}});
    });
  }
  std::string name;
  if (r.scope == "leavers" && r.roomId) {
    name = "Nestbox leavers - " + children_.requireRoom(*r.roomId).name;
  } else {
    name = "Nestbox journal - " + childName(children_.requireChild(r.childIds.front()));
  }
  name = safeName(name + " - " + settings_.calendar().dateOf(r.finishedAt.value_or(r.createdAt))) + ".zip";
  return {files_.exportRelative(r.id), name, r.bytes.value_or(0)};
}

ExportReminder ExportService::reminder(const Principal& p) {
  ExportReminder out;
  if (p.role != Role::parent || p.childViewOf) return out;
  const auto setting = settings_.current();
  if (!setting || setting->exportReminderOn.empty()) return out;
  const auto monthDay = parseMonthDay(setting->exportReminderOn);
  if (!monthDay) return out;
  const auto calendar = settings_.calendar();
  const auto since = Calendar::lastOccurrence(calendar.dateOf(ctx_.clock.now()), *monthDay);
  out.since = since;
  const int64_t from = calendar.startOfDay(since);
  storage::ChildQuery all;
  for (const auto& child : children_.children(p, all)) {
    if (child.leftOn && !child.leftOn->empty() && *child.leftOn < since) continue;  // left before this year's
    if (!store_.downloadedExportSince(p.userId, child.id, from)) out.due = true;
  }
  return out;
}

void ExportService::recover() {
  for (const char* state : {"queued", "running"}) {
    for (auto r : store_.exportsInState(state)) {
      finish(r, "failed", "interrupted", "The box restarted while this export was being made. Ask for it again.");
    }
  }
  // Files no ready export owns (a stop in the middle of writing one).
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(files_.root() + "/exports", ec)) {
    const auto name = entry.path().filename().string();
    const auto dot = name.find('.');
    const auto r = store_.exportById(name.substr(0, dot));
    if (!r || r->state != "ready" || name != r->id + ".zip") std::filesystem::remove(entry.path(), ec);
  }
}

Json ExportService::expire() {
  const int64_t now = ctx_.clock.now();
  int removed = 0;
  for (auto r : store_.exportsInState("ready")) {
    const bool missing = !std::filesystem::exists(files_.exportPath(r.id));
    if (r.expiresAt.value_or(0) > now && !missing) continue;
    std::error_code ignored;
    std::filesystem::remove(files_.exportPath(r.id), ignored);
    r.state = "expired";
    ctx_.store.transaction([&] {
      store_.updateExport(r);
      ctx_.audit.record(Event::ExportRemoved, {{}, {}, "box", {}}, AuditTarget{"export", r.id},
                        {{"reason", missing ? "file_missing" : "expired"}});
    });
    ++removed;
  }
  return {{"removed", removed}};
}

void ExportService::stopAll(const std::string& reason) {
  std::lock_guard lock(mutex_);
  for (auto& [id, live] : live_) live.stopReason = reason;
}

void ExportService::stopChild(const std::string& childId) {
  const auto holding = store_.exportsOfChild(childId);
  std::lock_guard lock(mutex_);
  for (const auto& e : holding) {
    if (const auto live = live_.find(e.id); live != live_.end()) live->second.stopReason = "erasure";
  }
}

void ExportService::progress(const std::string& exportId, const std::string& step, int64_t done, int64_t total) {
  std::lock_guard lock(mutex_);
  auto& live = live_[exportId];
  live.step = step;
  live.done = done;
  live.total = total;
}

bool ExportService::stopped(const std::string& exportId) {
  {
    std::lock_guard lock(mutex_);
    const auto it = live_.find(exportId);
    if (it != live_.end() && !it->second.stopReason.empty()) return true;
  }
  if (lockdown_.engaged()) {
    stopAll("lockdown");
    return true;
  }
  return false;
}

void ExportService::finish(storage::ExportRecord r, const std::string& state, const std::string& code,
                           const std::string& message) {
  r.state = state;
  r.errorCode = code;
  r.errorMessage = message;
  r.finishedAt = ctx_.clock.now();
  if (state == "ready") r.expiresAt = *r.finishedAt + kExportKeepSeconds;
  const Event event = state == "ready" ? Event::ExportReady : state == "cancelled" ? Event::ExportCancelled : Event::ExportFailed;
  Json detail = {{"children", r.childIds}};
  if (r.bytes) detail["bytes"] = *r.bytes;
  if (!code.empty()) detail["reason"] = code;
  ctx_.store.transaction([&] {
    store_.updateExport(r);
    ctx_.audit.record(event, {{}, {}, "box", {}}, AuditTarget{"export", r.id}, detail);
  });
  std::lock_guard lock(mutex_);
  live_.erase(r.id);
}

void ExportService::stoppedBy(const storage::ExportRecord& record, const std::string& reason) {
  if (reason == "lockdown") {
    finish(record, "cancelled", "lockdown",
           "A lockdown stopped this export. Ask for it again once a manager has lifted the lockdown.");
  } else if (reason == "requester") {
    finish(record, "cancelled", "cancelled", "You stopped this export.");
  } else if (reason == "erasure") {
    finish(record, "cancelled", "erased", "A child in this export was erased: it was stopped and removed.");
  } else {
    finish(record, "cancelled", "interrupted", "The box was restarting while this export was being made. Ask for it again.");
  }
}

void ExportService::run(const std::string& exportId, const Principal& p) {
  auto record = store_.exportById(exportId);
  if (!record || record->state != "queued") return;
  Job job{*record, p, {}, {}, 0};
  job.record.state = "running";
  store_.updateExport(job.record);
  try {
    make(job);
  } catch (const Stopped& s) {
    stoppedBy(job.record, s.reason);
  } catch (const storage::ZipCancelled&) {
    std::string reason;
    {
      std::lock_guard lock(mutex_);
      reason = live_[exportId].stopReason;
    }
    stoppedBy(job.record, reason);
  } catch (const DomainError& e) {
    finish(job.record, "failed", e.code, e.what());
  } catch (const std::exception& e) {
    finish(job.record, "failed", "export_failed",
           "The export could not be made. Try again; if it fails again, IT support can see why in the box's log.");
    logEvent(Event::ExportFailed, {{"export", exportId}, {"error", e.what()}});  // for IT support; may name paths
  }
  for (const auto& m : job.members) {
    if (m.sourcePath.rfind(files_.root() + "/tmp/", 0) == 0) {
      std::error_code ignored;
      std::filesystem::remove(m.sourcePath, ignored);
    }
  }
}

// Stops the job (Stopped) when its requester, a lockdown or the box's stop asked.
void ExportService::check(Job& job) {
  if (!stopped(job.record.id)) return;
  std::lock_guard lock(mutex_);
  throw Stopped{live_[job.record.id].stopReason};
}

void ExportService::make(Job& job) {
  std::set<std::string> folders;
  for (const auto& childId : job.record.childIds) {
    check(job);
    const auto child = children_.child(job.who, childId);  // still theirs: else not found, and it fails
    // Two leavers with the same name get folders of their own.
    std::string folder = safeName(childName(child) + " journal");
    for (int n = 2; !folders.insert(folder).second; ++n) {
      folder = safeName(childName(child) + " journal (" + std::to_string(n) + ")");
    }
    addChild(job, child, folder);
  }

  // The zip: everything stored as it is but the page.
  check(job);
  int64_t needed = 0;
  for (const auto& m : job.members) needed += m.sourcePath.empty() ? static_cast<int64_t>(m.content.size()) : sizeOf(m.sourcePath);
  checkSpace(needed);
  const auto total = static_cast<int64_t>(job.members.size());
  progress(job.record.id, "zip", 0, total);
  const int64_t bytes = storage::writeZip(
      files_.exportPath(job.record.id), job.members,
      {[&](double fraction) { progress(job.record.id, "zip", static_cast<int64_t>(fraction * static_cast<double>(total)), total); },
       [&] { return stopped(job.record.id); }});
  job.record.bytes = bytes;
  job.record.done = total;
  job.record.total = total;
  job.record.step = "";
  finish(job.record, "ready", "", "");
}

std::vector<EntryView> ExportService::entriesOf(Job& job, const std::string& childId, int64_t now) {
  std::vector<EntryView> views;
  if (job.who.role == Role::parent) {
    storage::ParentFeedQuery q;
    q.childId = childId;
    q.now = now;
    q.limit = kPage;
    for (;;) {
      check(job);
      const auto feed = journal_.feed(job.who, q);
      views.insert(views.end(), feed->views.begin(), feed->views.end());
      if (static_cast<int>(feed->views.size()) < kPage) break;
      q.before = storage::EntryCursor{*feed->views.back().entry.journalAt, feed->views.back().entry.id};
      progress(job.record.id, "gathering", job.entries + static_cast<int64_t>(views.size()), 0);
    }
  } else {
    storage::EntryQuery q;
    q.childId = childId;
    q.status = "journal";
    q.limit = kPage;
    for (;;) {
      check(job);
      const auto list = journal_.list(job.who, q);
      views.insert(views.end(), list.begin(), list.end());
      if (static_cast<int>(list.size()) < kPage) break;
      q.before = storage::EntryCursor{list.back().entry.createdAt, list.back().entry.id};
      progress(job.record.id, "gathering", job.entries + static_cast<int64_t>(views.size()), 0);
    }
  }
  // A journal reads by the day things happened: newest first by the day observed (the
  // gathering order, by journal time, is kept within a day).
  std::stable_sort(views.begin(), views.end(),
                   [](const EntryView& a, const EntryView& b) { return a.entry.observedOn > b.entry.observedOn; });
  return views;
}

void ExportService::addChild(Job& job, const storage::ChildRecord& child, const std::string& folder) {
  const auto& p = job.who;
  const auto setting = settings_.current();
  const auto& fw = framework(setting ? setting->framework : "eyfs");
  const auto calendar = settings_.calendar();
  const int64_t now = ctx_.clock.now();
  ExportedJournal page;
  page.settingName = setting ? setting->name : "";
  page.childName = childName(child);
  page.timeZone = calendar.zone();
  page.madeAt = now;
  media::JournalDocument document;
  document.title = childName(child) + " — learning journal";
  document.subtitle = page.settingName + "\nMade on " + dateInWords(calendar.dateOf(now));

  std::map<std::string, std::string> names;  // author id -> name, for comments
  const auto authorName = [&](const std::string& userId) {
    if (const auto it = names.find(userId); it != names.end()) return it->second;
    const auto user = ctx_.store.userById(userId);
    return names[userId] = user ? user->displayName : std::string("Someone");
  };
  const auto hearts = journal_.heartsOf(p, child.id);
  for (const auto& v : entriesOf(job, child.id, now)) {
    check(job);
    const auto& e = v.entry;
    ExportedEntry out{e.observedOn, e.kind, e.title, e.body, e.nextSteps, v.authorName, {}, {}, {}, {}};
    for (const auto& aspect : e.aspectIds) {
      if (auto words = fw.aspectInWords(aspect)) out.areas.push_back(std::move(*words));
    }
    media::JournalDocument::Entry printed;
    printed.heading = dateInWords(e.observedOn) + " · " + kindInWords(e.kind);
    printed.title = e.title;
    printed.body = e.body;
    printed.nextSteps = e.nextSteps;
    printed.byline = v.authorName.empty() ? "" : "Recorded by " + v.authorName;
    for (std::size_t i = 0; i < out.areas.size(); ++i) printed.areas += (i ? "; " : "") + out.areas[i];
    for (const auto& m : e.media) {
      // The copy this person may have, by the same rule as the screens; none: left out.
      ServedMedia original;
      try {
        original = media_.locate(p, m.id, MediaVariant::original);
      } catch (const DomainError&) {
        continue;
      }
      const std::string file = "media/" + e.observedOn + "-" + m.id.substr(0, 12) + "." + media::extensionForMime(original.mime);
      out.media.push_back({file, original.mime});
      if (job.mediaInZip.insert(folder + "/" + file).second) {
        job.members.push_back({folder + "/" + file, files_.root() + "/" + original.relativePath, {}, false, e.createdAt});
      }
      if (original.mime.rfind("image/", 0) == 0 || original.mime.rfind("video/", 0) == 0) {
        try {
          printed.images.push_back(files_.root() + "/" + media_.locate(p, m.id, MediaVariant::display).relativePath);
        } catch (const DomainError&) {
        }
      }
    }
    // The thread of this child on this entry, when the entry reaches the child.
    try {
      for (const auto& c : journal_.thread(p, e.id, child.id)) {
        if (c.hiddenAt) continue;
        out.comments.push_back({authorName(c.authorId), c.body, c.createdAt});
        printed.comments.push_back(authorName(c.authorId) + ": " + c.body);
      }
    } catch (const DomainError&) {
    }
    if (const auto h = hearts.find(e.id); h != hearts.end()) {
      for (const auto& userId : h->second) out.likedBy.push_back(authorName(userId));
    }
    if (document.sections.empty() || document.sections.back().heading != monthInWords(e.observedOn)) {
      document.sections.push_back({monthInWords(e.observedOn), {}});
    }
    document.sections.back().entries.push_back(std::move(printed));
    page.entries.push_back(std::move(out));
    ++job.entries;
    progress(job.record.id, "gathering", job.entries, 0);
  }
  if (page.entries.empty()) document.sections.push_back({"No entries yet", {}});

  // The printable journal, drawn in the media process.
  check(job);
  progress(job.record.id, "pdf", 0, 0);
  int64_t printedBytes = 0;
  for (const auto& s : document.sections) {
    for (const auto& e : s.entries) {
      for (const auto& image : e.images) printedBytes += sizeOf(image);
    }
  }
  checkSpace(printedBytes + (1 << 20));
  const std::string pdf = files_.tempPath("export-" + job.record.id + ".pdf");
  // Stored: a PDF of photos is JPEG streams that deflate would only slow down.
  job.members.push_back({folder + "/journal.pdf", pdf, {}, false, now});
  processor_.renderJournalPdf(document, pdf);
  job.members.push_back({folder + "/index.html", {}, renderExportPage(page), true, now});
}

}  // namespace nestbox::domain
