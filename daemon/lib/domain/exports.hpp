#pragma once
// Journal exports (issue 20; PRODUCT.md rules 11 and 12; policies 000–002): a child's journal
// as a zip that is useful in twenty years without Nestbox — per child a folder with an offline
// index.html (domain/export_page), journal.pdf (drawn in the media process) and media/ with
// the photos, videos and documents — made in the background, downloaded through nginx (with
// Range, so a phone resumes), kept 7 days.
//
// What goes in is read through the same services and access policy as the screens, as the
// person who asked: a parent gets exactly their feed of their own child (released entries, the
// copy of each photo consent allows today, their own thread); a manager everything of the
// child in the journal, with the child's thread. Only the person who asked sees or downloads
// an export; anyone else is answered as if it did not exist. A lockdown stops exports that are
// running (and the API refuses downloads during one). Every export is audited: asked for,
// ready (size), failed, cancelled, downloaded (who, which children, size), removed.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/children.hpp"
#include "domain/context.hpp"
#include "domain/journal.hpp"
#include "domain/lockdown.hpp"
#include "domain/media.hpp"
#include "domain/settings.hpp"
#include "media/processor.hpp"
#include "storage/export_store.hpp"
#include "storage/media_files.hpp"
#include "system/disk.hpp"
#include "system/executor.hpp"

namespace nestbox::domain {

constexpr int64_t kExportKeepSeconds = 7 * 86400;

struct ExportView {
  storage::ExportRecord record;  // progress as it is now, while running
  std::vector<std::pair<std::string, std::string>> children;  // id, name
  std::optional<std::pair<std::string, std::string>> room;    // id, name (leavers)
};

struct ServedExport {
  std::string relativePath;  // below MediaFiles::root(), for nginx's internal location
  std::string downloadName;
  int64_t bytes = 0;
};

struct ExportReminder {
  bool due = false;
  std::optional<std::string> since;  // the date the reminder began, "YYYY-MM-DD"
};

class ExportService {
 public:
  ExportService(Context& ctx, storage::ExportStore& store, SettingsService& settings, ChildrenService& children,
                JournalService& journal, MediaService& media, LockdownService& lockdown, storage::MediaFiles& files,
                media::MediaProcessor& processor, system::Executor& workers, const system::Disk& disk);

  // A parent, for one of their own children; a manager, for any child. Refused while one of
  // the caller's exports of the same children is still being made (409), and when the data
  // disk is already at its reserve (507).
  ExportView request(const Principal& p, const std::string& childId);
  // A manager: every child of the room with a leaving date, in one zip. None: 422.
  ExportView requestLeavers(const Principal& p, const std::string& roomId);

  std::vector<ExportView> list(const Principal& p);  // the caller's own, newest first
  ExportView get(const Principal& p, const std::string& exportId);
  // Stops one being made, or removes a finished one's file.
  void cancel(const Principal& p, const std::string& exportId);
  // The file of a ready export (409 not ready, 410 expired). `resumed`: a Range request that
  // continues a download (audited once, not per piece).
  ServedExport download(const Principal& p, const std::string& exportId, bool resumed);

  // A parent: whether the year-end reminder asks them to download (policy 000).
  ExportReminder reminder(const Principal& p);

  // At start: exports a stop interrupted are failed (ask again); stray files are removed.
  void recover();
  // Periodic job: removes exports past their 7 days. Returns a summary for the audit log.
  Json expire();
  // A lockdown: every export being made stops.
  void stopAll(const std::string& reason);
  // An erasure: exports being made that hold the child stop (their rows and files go with it).
  void stopChild(const std::string& childId);

 private:
  struct Job;
  void run(const std::string& exportId, const Principal& p);
  void make(Job& job);
  // One child's folder: its entries as the requester sees them, the PDF and the page.
  void addChild(Job& job, const storage::ChildRecord& child, const std::string& folder);
  std::vector<EntryView> entriesOf(Job& job, const std::string& childId, int64_t now);
  void check(Job& job);
  ExportView viewOf(const storage::ExportRecord& record);
  storage::ExportRecord requireOwn(const Principal& p, const std::string& exportId);
  ExportView start(const Principal& p, const std::string& scope, const std::optional<std::string>& roomId,
                   const std::vector<std::string>& childIds);
  void progress(const std::string& exportId, const std::string& step, int64_t done, int64_t total);
  bool stopped(const std::string& exportId);
  void stoppedBy(const storage::ExportRecord& record, const std::string& reason);
  void finish(storage::ExportRecord record, const std::string& state, const std::string& code, const std::string& message);
  void checkSpace(int64_t needed);

  Context& ctx_;
  storage::ExportStore& store_;
  SettingsService& settings_;
  ChildrenService& children_;
  JournalService& journal_;
  MediaService& media_;
  LockdownService& lockdown_;
  storage::MediaFiles& files_;
  media::MediaProcessor& processor_;
  system::Executor& workers_;
  const system::Disk& disk_;

  struct Live {
    std::string step;
    int64_t done = 0, total = 0;
    std::string stopReason;  // set: stop at the next step
  };
  std::mutex mutex_;
  std::map<std::string, Live> live_;  // exports queued or being made
};

}  // namespace nestbox::domain
