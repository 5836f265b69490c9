// The lockdown half of SqliteStore (see lockdown_store.hpp).
#include "storage/sqlite_store.hpp"

namespace nestbox::storage {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

constexpr const char* kIncidentColumns =
    "id, engaged_at, engaged_by, via, reason, lifted_at, lifted_by, fault, rectification";

IncidentRecord readIncident(const Statement& s) {
  IncidentRecord r;
  r.id = s.text(0);
  r.engagedAt = s.integer(1);
  r.engagedBy = s.text(2);
  r.via = s.text(3);
  r.reason = s.text(4);
  r.liftedAt = s.optionalInteger(5);
  r.liftedBy = s.text(6);
  r.fault = s.text(7);
  r.rectification = s.text(8);
  return r;
}

}  // namespace

void SqliteStore::insertIncident(const IncidentRecord& r) {
  Lock lock(mutex_);
  db_->prepare((std::string("INSERT INTO incidents (") + kIncidentColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").c_str())
      .bind(1, r.id).bind(2, r.engagedAt).bind(3, r.engagedBy).bind(4, r.via).bind(5, r.reason)
      .bind(6, r.liftedAt).bind(7, r.liftedBy).bind(8, r.fault).bind(9, r.rectification).run();
}

void SqliteStore::updateIncident(const IncidentRecord& r) {
  Lock lock(mutex_);
  db_->prepare("UPDATE incidents SET lifted_at = ?2, lifted_by = ?3, fault = ?4, rectification = ?5 WHERE id = ?1")
      .bind(1, r.id).bind(2, r.liftedAt).bind(3, r.liftedBy).bind(4, r.fault).bind(5, r.rectification).run();
}

std::optional<IncidentRecord> SqliteStore::openIncident() {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE lifted_at IS NULL").c_str());
  if (!s.step()) return std::nullopt;
  return readIncident(s);
}

std::vector<IncidentRecord> SqliteStore::incidents(int limit) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kIncidentColumns + " FROM incidents ORDER BY engaged_at DESC, rowid DESC LIMIT ?1").c_str());
  s.bind(1, limit);
  std::vector<IncidentRecord> out;
  while (s.step()) out.push_back(readIncident(s));
  return out;
}

void SqliteStore::addIncidentUpdate(const IncidentUpdateRecord& u) {
  Lock lock(mutex_);
  db_->prepare("INSERT INTO incident_updates (incident_id, at, author, message) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, u.incidentId).bind(2, u.at).bind(3, u.author).bind(4, u.message).run();
}

std::vector<IncidentUpdateRecord> SqliteStore::incidentUpdates(const std::string& incidentId) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT incident_id, at, author, message FROM incident_updates WHERE incident_id = ?1 ORDER BY seq");
  s.bind(1, incidentId);
  std::vector<IncidentUpdateRecord> out;
  while (s.step()) out.push_back({s.text(0), s.integer(1), s.text(2), s.text(3)});
  return out;
}

int SqliteStore::quarantineUploads(int64_t at) {
  Lock lock(mutex_);
  db_->prepare("UPDATE uploads SET quarantined_at = ?1 WHERE quarantined_at IS NULL").bind(1, at).run();
  return db_->changes();
}

int SqliteStore::endAllSessions(int64_t at, const std::string& reason) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET ended_at = ?1, end_reason = ?2 WHERE ended_at IS NULL").bind(1, at).bind(2, reason).run();
  return db_->changes();
}

}  // namespace nestbox::storage
