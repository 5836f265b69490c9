#pragma once
// The storage contract of journal exports (issue 20): one row per export asked for, with the
// children it holds (so erasing a child finds its exports). Implemented by SqliteStore; the
// same transaction() covers it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nestbox::storage {

struct ExportRecord {
  std::string id;
  std::string requestedBy;  // user id
  std::string scope;        // family (a parent's), manager (one child), leavers (a room's)
  std::optional<std::string> roomId;
  std::string state;        // queued, running, ready, failed, cancelled, expired
  std::string step;         // while running: gathering, pdf, zip
  int64_t done = 0;         // progress: entries gathered, then files written
  int64_t total = 0;
  std::optional<int64_t> bytes;  // the zip's size once ready
  int64_t createdAt = 0;
  std::optional<int64_t> finishedAt;
  std::optional<int64_t> expiresAt;
  std::optional<int64_t> downloadedAt;  // the first download
  std::string errorCode;
  std::string errorMessage;
  std::vector<std::string> childIds;  // in the order asked
};

class ExportStore {
 public:
  virtual ~ExportStore() = default;
  virtual void insertExport(const ExportRecord& e) = 0;
  // Everything but the id, requester, scope, room, children and creation time.
  virtual void updateExport(const ExportRecord& e) = 0;
  virtual std::optional<ExportRecord> exportById(const std::string& id) = 0;
  // Newest first.
  virtual std::vector<ExportRecord> exportsBy(const std::string& userId, int limit) = 0;
  virtual std::vector<ExportRecord> exportsInState(const std::string& state) = 0;
  virtual std::vector<ExportRecord> exportsOfChild(const std::string& childId) = 0;
  // Whether `userId` downloaded an export of `childId` at or after `since`.
  virtual bool downloadedExportSince(const std::string& userId, const std::string& childId, int64_t since) = 0;
};

}  // namespace nestbox::storage
