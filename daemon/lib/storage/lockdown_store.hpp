#pragma once
// The storage contract of fault lockdowns (policy 001). One incident is open while the box is
// locked down; its updates and how it was lifted are kept as the incident's timeline.
// Implemented by SqliteStore; the same transaction() covers it. Writes are durable before they
// return (WAL, synchronous=FULL).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nestbox::storage {

struct IncidentRecord {
  std::string id;
  int64_t engagedAt = 0;
  std::string engagedBy;  // a username, or "console", "button", "dbus"
  std::string via;        // web, cli, dbus, button
  std::string reason;
  std::optional<int64_t> liftedAt;
  std::string liftedBy;
  std::string fault;          // what the fault was (at lifting)
  std::string rectification;  // how it was put right
};

struct IncidentUpdateRecord {
  std::string incidentId;
  int64_t at = 0;
  std::string author;
  std::string message;  // shown to everyone on the notice page
};

class LockdownStore {
 public:
  virtual ~LockdownStore() = default;
  virtual void insertIncident(const IncidentRecord& incident) = 0;
  virtual void updateIncident(const IncidentRecord& incident) = 0;
  virtual std::optional<IncidentRecord> openIncident() = 0;
  // Newest first.
  virtual std::vector<IncidentRecord> incidents(int limit) = 0;
  virtual void addIncidentUpdate(const IncidentUpdateRecord& update) = 0;
  virtual std::vector<IncidentUpdateRecord> incidentUpdates(const std::string& incidentId) = 0;
  // Puts every unfinished upload in quarantine; returns how many.
  virtual int quarantineUploads(int64_t at) = 0;
  // Ends every open session; returns how many.
  virtual int endAllSessions(int64_t at, const std::string& reason) = 0;
};

}  // namespace nestbox::storage
