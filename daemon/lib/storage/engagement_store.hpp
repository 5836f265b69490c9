#pragma once
// The storage contract of what families and staff do around entries, beyond comments (issue
// 22): hearts, when a parent last opened the journal, comment counts for feed cards, the
// children a member of staff tagged lately, and the entry templates managers keep.
// Implemented by SqliteStore; who may do what is the services' (domain/engagement.hpp,
// domain/templates.hpp). Hearts and visits are a family's data: erasure removes them
// (sqlite_erasure_store.cpp) and the family's export carries their hearts.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nestbox::storage {

struct HeartRecord {
  std::string entryId;
  std::string childId;
  std::string userId;
  int64_t createdAt = 0;
};

struct TemplateRecord {
  std::string id;
  std::string name;
  std::string kind;  // observation, snapshot
  std::string title;
  std::string body;
  std::string nextSteps;
  std::vector<std::string> aspectIds;
  int64_t updatedAt = 0;
  std::optional<std::string> updatedBy;
};

class EngagementStore {
 public:
  virtual ~EngagementStore() = default;

  // Idempotent. A heart moves the child's feed version (the family's cards show it).
  virtual void putHeart(const HeartRecord& heart) = 0;
  virtual void deleteHeart(const std::string& entryId, const std::string& childId, const std::string& userId) = 0;
  virtual std::vector<HeartRecord> heartsOn(const std::string& entryId) = 0;  // newest first
  // (entry id → child ids) that `userId` hearted, among `entryIds`.
  virtual std::map<std::string, std::vector<std::string>> heartsBy(const std::string& userId,
                                                                   const std::vector<std::string>& entryIds) = 0;
  virtual std::vector<HeartRecord> heartsOfChild(const std::string& childId) = 0;
  // Visible (not hidden) comments per entry, in the threads of `childIds`.
  virtual std::map<std::string, int> commentCounts(const std::vector<std::string>& entryIds,
                                                   const std::vector<std::string>& childIds) = 0;

  // Records a visit at `now` and returns the previous visit's time. A visit within `gap`
  // seconds of the last one is the same visit: the previous time stays.
  virtual std::optional<int64_t> recordVisit(const std::string& userId, int64_t now, int64_t gap) = 0;

  // Children tagged in entries `authorId` created at or after `since`, most recent first.
  virtual std::vector<std::string> recentlyTagged(const std::string& authorId, int64_t since, int limit) = 0;

  virtual std::vector<TemplateRecord> templates() = 0;  // by name
  virtual std::optional<TemplateRecord> entryTemplate(const std::string& id) = 0;
  virtual void insertTemplate(const TemplateRecord& t) = 0;  // DuplicateError on a taken name
  virtual void updateTemplate(const TemplateRecord& t) = 0;  // DuplicateError on a taken name
  virtual bool deleteTemplate(const std::string& id) = 0;
};

}  // namespace nestbox::storage
