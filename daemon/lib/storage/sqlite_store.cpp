#include "storage/sqlite_store.hpp"

#include "storage/migrations.hpp"

namespace nestbox::storage {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

constexpr const char* kUserColumns =
    "id, username, display_name, email, role, password_hash, password_changed_at, "
    "must_change_password, pin_hash, active, created_at, updated_at, pin_failures";

// Reads the kUserColumns starting at column `first`.
UserRecord readUser(const Statement& s, int first = 0) {
  UserRecord u;
  u.id = s.text(first + 0);
  u.username = s.text(first + 1);
  u.displayName = s.text(first + 2);
  u.email = s.optionalText(first + 3);
  u.role = s.text(first + 4);
  u.passwordHash = s.text(first + 5);
  u.passwordChangedAt = s.integer(first + 6);
  u.mustChangePassword = s.integer(first + 7) != 0;
  u.pinHash = s.optionalText(first + 8);
  u.active = s.integer(first + 9) != 0;
  u.createdAt = s.integer(first + 10);
  u.updatedAt = s.integer(first + 11);
  u.pinFailures = static_cast<int>(s.integer(first + 12));
  return u;
}

constexpr const char* kSessionColumns =
    "id, token_hash, user_id, csrf_token, created_at, last_seen_at, address, user_agent, "
    "ended_at, end_reason, device_id, device_proven_at, child_view_child_id, remember_key, remember_until, "
    "rotated_at, authenticated_at, remember_challenge_hash";
constexpr int kSessionColumnCount = 18;

SessionRecord readSession(const Statement& s) {
  SessionRecord r;
  r.id = s.text(0);
  r.tokenHash = s.text(1);
  r.userId = s.text(2);
  r.csrfToken = s.text(3);
  r.createdAt = s.integer(4);
  r.lastSeenAt = s.integer(5);
  r.address = s.text(6);
  r.userAgent = s.text(7);
  if (!s.isNull(8)) r.endedAt = s.integer(8);
  r.endReason = s.optionalText(9);
  r.deviceId = s.optionalText(10);
  r.deviceProvenAt = s.optionalInteger(11);
  r.childViewChildId = s.optionalText(12);
  r.rememberKey = s.optionalText(13);
  r.rememberUntil = s.integer(14);
  r.rotatedAt = s.integer(15);
  r.authenticatedAt = s.integer(16);
  r.rememberChallengeHash = s.optionalText(17);
  return r;
}

}  // namespace

namespace {
std::atomic<uint64_t> nextSerial{1};
}  // namespace

SqliteStore::SqliteStore(const std::string& path)
    : path_(path), serial_(nextSerial++), db_(std::make_unique<Database>(path)) {
  appliedMigrations_ = migrate(*db_);
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(readersMutex_);
    readers_.clear();
  }
  Lock lock(mutex_);
  db_.reset();  // closing the last connection checkpoints and removes the WAL file
}

SqliteStore::Reader SqliteStore::reading() {
  // In this thread's own transaction a read must see its uncommitted writes; an in-memory
  // database has only the one connection.
  if (path_ == ":memory:" || writerThread_.load() == std::this_thread::get_id()) {
    return {std::unique_lock<std::recursive_mutex>(mutex_), *db_};
  }
  // Connections are per thread (SQLITE_OPEN_NOMUTEX); a store's serial tells its own apart
  // from a destroyed store's whose address was reused.
  thread_local std::unordered_map<uint64_t, Database*> mine;
  Database*& slot = mine[serial_];
  if (!slot) {
    auto reader = std::make_unique<Database>(path_, Database::Role::reader);
    std::lock_guard lock(readersMutex_);
    slot = reader.get();
    readers_.push_back(std::move(reader));
  }
  return {std::unique_lock<std::recursive_mutex>(), *slot};
}

void SqliteStore::transaction(const std::function<void()>& work) {
  Lock lock(mutex_);
  if (transactionDepth_ > 0) {  // already inside one on this thread: join it
    work();
    return;
  }
  Transaction tx(*db_);
  ++transactionDepth_;
  writerThread_ = std::this_thread::get_id();
  try {
    work();
  } catch (...) {
    --transactionDepth_;
    writerThread_ = std::thread::id();
    pendingAll_ = false;  // rolled back: nothing changed
    pendingChildren_.clear();
    throw;
  }
  --transactionDepth_;
  writerThread_ = std::thread::id();
  try {
    tx.commit();
  } catch (...) {
    pendingAll_ = false;
    pendingChildren_.clear();
    throw;
  }
  publishChanges();
}

void SqliteStore::changedAll() {
  Lock lock(mutex_);
  pendingAll_ = true;
  if (transactionDepth_ == 0) publishChanges();
}

void SqliteStore::changedChildren(const std::vector<std::string>& childIds) {
  Lock lock(mutex_);
  pendingChildren_.insert(childIds.begin(), childIds.end());
  if (transactionDepth_ == 0) publishChanges();
}

// After the commit (or the autocommitted statement): a reader that read the old version
// before the write may have cached old rows under it, and now sees a newer version.
void SqliteStore::publishChanges() {
  std::lock_guard lock(versionsMutex_);
  if (pendingAll_) ++allVersion_;
  for (const auto& id : pendingChildren_) ++childVersions_[id];
  pendingAll_ = false;
  pendingChildren_.clear();
}

uint64_t SqliteStore::feedVersion() const {
  std::lock_guard lock(versionsMutex_);
  return allVersion_;
}

uint64_t SqliteStore::feedVersion(const std::vector<std::string>& childIds) const {
  std::lock_guard lock(versionsMutex_);
  uint64_t v = allVersion_;
  for (const auto& id : childIds) {
    const auto it = childVersions_.find(id);
    if (it != childVersions_.end()) v += it->second;
  }
  return v;
}

std::optional<std::string> SqliteStore::boxValue(const std::string& key) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT value FROM box_state WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

void SqliteStore::setBoxValue(const std::string& key, const std::string& value) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO box_state (key, value) VALUES (?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key).bind(2, value).run();
}

void SqliteStore::deleteBoxValue(const std::string& key) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM box_state WHERE key = ?1").bind(1, key).run();
}

std::optional<SettingRecord> SqliteStore::setting() {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT name, framework, password_require_mixed, password_max_age_days, "
      "idle_minutes_manager, idle_minutes_staff, idle_minutes_parent, absolute_hours_manager, "
      "absolute_hours_staff, absolute_hours_parent, created_at, updated_at, agreement_version, agreement_text, "
      "keep_unredacted_originals, secure_subnets, time_zone, storage_reserve_mib, invitation_days, export_reminder_on, "
      "leaver_read_days, leaver_archive_days, outside_manager_read, redaction_margin_pct, remember_days FROM setting WHERE id = 1");
  if (!s.step()) return std::nullopt;
  SettingRecord r;
  r.name = s.text(0);
  r.framework = s.text(1);
  r.passwordRequireMixed = s.integer(2) != 0;
  r.passwordMaxAgeDays = static_cast<int>(s.integer(3));
  r.idleMinutesManager = static_cast<int>(s.integer(4));
  r.idleMinutesStaff = static_cast<int>(s.integer(5));
  r.idleMinutesParent = static_cast<int>(s.integer(6));
  r.absoluteHoursManager = static_cast<int>(s.integer(7));
  r.absoluteHoursStaff = static_cast<int>(s.integer(8));
  r.absoluteHoursParent = static_cast<int>(s.integer(9));
  r.createdAt = s.integer(10);
  r.updatedAt = s.integer(11);
  r.agreementVersion = static_cast<int>(s.integer(12));
  r.agreementText = s.text(13);
  r.keepUnredactedOriginals = s.integer(14) != 0;
  r.secureSubnets = s.text(15);
  r.timeZone = s.text(16);
  r.storageReserveMiB = s.integer(17);
  r.invitationDays = static_cast<int>(s.integer(18));
  r.exportReminderOn = s.text(19);
  r.leaverReadDays = static_cast<int>(s.integer(20));
  r.leaverArchiveDays = static_cast<int>(s.integer(21));
  r.outsideManagerRead = s.integer(22) != 0;
  r.redactionMarginPct = static_cast<int>(s.integer(23));
  r.rememberDays = static_cast<int>(s.integer(24));
  return r;
}

void SqliteStore::saveSetting(const SettingRecord& r) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO setting (id, name, framework, password_require_mixed, password_max_age_days, "
      "idle_minutes_manager, idle_minutes_staff, idle_minutes_parent, absolute_hours_manager, "
      "absolute_hours_staff, absolute_hours_parent, created_at, updated_at, agreement_version, agreement_text, "
      "keep_unredacted_originals, secure_subnets, time_zone, storage_reserve_mib, invitation_days, export_reminder_on, "
      "leaver_read_days, leaver_archive_days, outside_manager_read, redaction_margin_pct, remember_days) "
      "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, "
      "?24, ?25) "
      "ON CONFLICT(id) DO UPDATE SET name = excluded.name, framework = excluded.framework, "
      "password_require_mixed = excluded.password_require_mixed, "
      "password_max_age_days = excluded.password_max_age_days, "
      "idle_minutes_manager = excluded.idle_minutes_manager, "
      "idle_minutes_staff = excluded.idle_minutes_staff, "
      "idle_minutes_parent = excluded.idle_minutes_parent, "
      "absolute_hours_manager = excluded.absolute_hours_manager, "
      "absolute_hours_staff = excluded.absolute_hours_staff, "
      "absolute_hours_parent = excluded.absolute_hours_parent, updated_at = excluded.updated_at, "
      "agreement_version = excluded.agreement_version, agreement_text = excluded.agreement_text, "
      "keep_unredacted_originals = excluded.keep_unredacted_originals, secure_subnets = excluded.secure_subnets, "
      "time_zone = excluded.time_zone, storage_reserve_mib = excluded.storage_reserve_mib, "
      "invitation_days = excluded.invitation_days, export_reminder_on = excluded.export_reminder_on, "
      "leaver_read_days = excluded.leaver_read_days, leaver_archive_days = excluded.leaver_archive_days, "
      "outside_manager_read = excluded.outside_manager_read, redaction_margin_pct = excluded.redaction_margin_pct, "
      "remember_days = excluded.remember_days");
  s.bind(1, r.name).bind(2, r.framework).bind(3, r.passwordRequireMixed).bind(4, r.passwordMaxAgeDays);
  s.bind(5, r.idleMinutesManager).bind(6, r.idleMinutesStaff).bind(7, r.idleMinutesParent);
  s.bind(8, r.absoluteHoursManager).bind(9, r.absoluteHoursStaff).bind(10, r.absoluteHoursParent);
  s.bind(11, r.createdAt).bind(12, r.updatedAt).bind(13, r.agreementVersion).bind(14, r.agreementText);
  s.bind(15, r.keepUnredactedOriginals).bind(16, r.secureSubnets).bind(17, r.timeZone).bind(18, r.storageReserveMiB);
  s.bind(19, r.invitationDays).bind(20, r.exportReminderOn).bind(21, r.leaverReadDays).bind(22, r.leaverArchiveDays);
  s.bind(23, r.outsideManagerRead).bind(24, r.redactionMarginPct).bind(25, r.rememberDays).run();
}

void SqliteStore::insertUser(const UserRecord& u) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO users (id, username, display_name, email, role, password_hash, "
      "password_changed_at, must_change_password, pin_hash, active, created_at, updated_at, pin_failures) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  s.bind(1, u.id).bind(2, u.username).bind(3, u.displayName).bind(4, u.email).bind(5, u.role);
  s.bind(6, u.passwordHash).bind(7, u.passwordChangedAt).bind(8, u.mustChangePassword);
  s.bind(9, u.pinHash).bind(10, u.active).bind(11, u.createdAt).bind(12, u.updatedAt).bind(13, u.pinFailures);
  try {
    s.run();
  } catch (const SqliteError& e) {
    if (e.code == SQLITE_CONSTRAINT_UNIQUE) throw DuplicateError("username already taken");
    throw;
  }
}

void SqliteStore::updateUser(const UserRecord& u) {
  Lock lock(mutex_);
  // Author names show in feeds: only a new name changes what families see (sign-ins, PIN
  // counts and re-hashed passwords change nothing there).
  bool renamed = true;
  {
    auto old = db_->prepare("SELECT display_name FROM users WHERE id = ?1");
    old.bind(1, u.id);
    if (old.step()) renamed = old.text(0) != u.displayName;
  }
  auto s = db_->prepare(
      "UPDATE users SET username = ?2, display_name = ?3, email = ?4, role = ?5, "
      "password_hash = ?6, password_changed_at = ?7, must_change_password = ?8, pin_hash = ?9, "
      "active = ?10, updated_at = ?11, pin_failures = ?12 WHERE id = ?1");
  s.bind(1, u.id).bind(2, u.username).bind(3, u.displayName).bind(4, u.email).bind(5, u.role);
  s.bind(6, u.passwordHash).bind(7, u.passwordChangedAt).bind(8, u.mustChangePassword);
  s.bind(9, u.pinHash).bind(10, u.active).bind(11, u.updatedAt).bind(12, u.pinFailures);
  try {
    s.run();
  } catch (const SqliteError& e) {
    if (e.code == SQLITE_CONSTRAINT_UNIQUE) throw DuplicateError("username already taken");
    throw;
  }
  if (renamed) changedAll();
}

std::optional<UserRecord> SqliteStore::userById(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readUser(s);
}

std::optional<UserRecord> SqliteStore::userByUsername(const std::string& username) {
  auto reader = reading();
  auto s = reader.db.prepare(
      (std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?1").c_str());
  s.bind(1, username);
  if (!s.step()) return std::nullopt;
  return readUser(s);
}

std::vector<UserRecord> SqliteStore::users(const UserQuery& q) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kUserColumns +
                         " FROM users WHERE (?1 IS NULL OR role = ?1) AND (?2 IS NULL OR active = ?2) "
                         "ORDER BY display_name COLLATE NOCASE, id")
                            .c_str());
  s.bind(1, q.role);
  if (q.active) s.bind(2, *q.active); else s.bind(2, nullptr);
  std::vector<UserRecord> out;
  while (s.step()) out.push_back(readUser(s));
  return out;
}

void SqliteStore::putPasswordReset(const PasswordResetRecord& r) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO password_resets (user_id, code_hash, expires_at, issued_by) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(user_id) DO UPDATE SET code_hash = excluded.code_hash, "
      "expires_at = excluded.expires_at, issued_by = excluded.issued_by");
  s.bind(1, r.userId).bind(2, r.codeHash).bind(3, r.expiresAt).bind(4, r.issuedBy).run();
}

std::optional<PasswordResetRecord> SqliteStore::passwordReset(const std::string& userId) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT user_id, code_hash, expires_at, issued_by FROM password_resets WHERE user_id = ?1");
  s.bind(1, userId);
  if (!s.step()) return std::nullopt;
  return PasswordResetRecord{s.text(0), s.text(1), s.integer(2), s.text(3)};
}

void SqliteStore::deletePasswordReset(const std::string& userId) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM password_resets WHERE user_id = ?1").bind(1, userId).run();
}

void SqliteStore::insertSession(const SessionRecord& r) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at, last_seen_at, "
      "address, user_agent, device_id, device_proven_at, child_view_child_id, remember_key, remember_until, "
      "rotated_at, authenticated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  s.bind(1, r.id).bind(2, r.tokenHash).bind(3, r.userId).bind(4, r.csrfToken);
  s.bind(5, r.createdAt).bind(6, r.lastSeenAt).bind(7, r.address).bind(8, r.userAgent).bind(9, r.deviceId);
  s.bind(10, r.deviceProvenAt).bind(11, r.childViewChildId).bind(12, r.rememberKey).bind(13, r.rememberUntil);
  s.bind(14, r.rotatedAt).bind(15, r.authenticatedAt).run();
}

std::optional<std::pair<SessionRecord, UserRecord>> SqliteStore::sessionWithUser(const std::string& tokenHash) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT s.id, s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.address, s.user_agent, "
      "s.ended_at, s.end_reason, s.device_id, s.device_proven_at, s.child_view_child_id, s.remember_key, "
      "s.remember_until, s.rotated_at, s.authenticated_at, s.remember_challenge_hash, u.id, u.username, "
      "u.display_name, u.email, u.role, u.password_hash, u.password_changed_at, u.must_change_password, u.pin_hash, "
      "u.active, u.created_at, u.updated_at, u.pin_failures "
      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
  s.bind(1, tokenHash);
  if (!s.step()) return std::nullopt;
  return std::make_pair(readSession(s), readUser(s, kSessionColumnCount));
}

void SqliteStore::rotateSessionToken(const std::string& id, const std::string& oldHash, const std::string& newHash,
                                     int64_t at) {
  transaction([&] {
    db_->prepare("INSERT OR IGNORE INTO session_old_tokens (token_hash, session_id, rotated_at) VALUES (?1, ?2, ?3)")
        .bind(1, oldHash).bind(2, id).bind(3, at).run();
    db_->prepare(
           "UPDATE sessions SET token_hash = ?2, rotated_at = ?3, last_seen_at = ?3, remember_challenge_hash = NULL "
           "WHERE id = ?1 AND ended_at IS NULL")
        .bind(1, id).bind(2, newHash).bind(3, at).run();
  });
}

std::optional<std::pair<SessionRecord, int64_t>> SqliteStore::sessionOfOldToken(const std::string& tokenHash) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kSessionColumns +
                              ", (SELECT rotated_at FROM session_old_tokens o WHERE o.token_hash = ?1) FROM sessions "
                              "WHERE id = (SELECT session_id FROM session_old_tokens WHERE token_hash = ?1)")
                                 .c_str());
  s.bind(1, tokenHash);
  if (!s.step()) return std::nullopt;
  return std::make_pair(readSession(s), s.integer(kSessionColumnCount));
}

void SqliteStore::setSessionChallenge(const std::string& id, const std::optional<std::string>& challengeHash) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET remember_challenge_hash = ?2 WHERE id = ?1 AND ended_at IS NULL")
      .bind(1, id).bind(2, challengeHash).run();
}

void SqliteStore::confirmSessionPassword(const std::string& id, int64_t at) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET authenticated_at = ?2 WHERE id = ?1 AND ended_at IS NULL").bind(1, id).bind(2, at).run();
}

std::optional<SessionRecord> SqliteStore::sessionById(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readSession(s);
}

void SqliteStore::touchSession(const std::string& id, int64_t lastSeenAt) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1 AND ended_at IS NULL")
      .bind(1, id)
      .bind(2, lastSeenAt)
      .run();
}

void SqliteStore::proveSessionDevice(const std::string& id, int64_t at) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET device_proven_at = ?2 WHERE id = ?1 AND ended_at IS NULL").bind(1, id).bind(2, at).run();
}

void SqliteStore::setSessionChildView(const std::string& id, const std::optional<std::string>& childId) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET child_view_child_id = ?2 WHERE id = ?1 AND ended_at IS NULL")
      .bind(1, id)
      .bind(2, childId)
      .run();
}

void SqliteStore::endSession(const std::string& id, int64_t at, const std::string& reason) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1 AND ended_at IS NULL")
      .bind(1, id)
      .bind(2, at)
      .bind(3, reason)
      .run();
}

int SqliteStore::endUserSessions(const std::string& userId, int64_t at, const std::string& reason,
                                 const std::optional<std::string>& keepId) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "UPDATE sessions SET ended_at = ?2, end_reason = ?3 "
      "WHERE user_id = ?1 AND ended_at IS NULL AND (?4 IS NULL OR id <> ?4)");
  s.bind(1, userId).bind(2, at).bind(3, reason).bind(4, keepId).run();
  return db_->changes();
}

std::vector<SessionRecord> SqliteStore::openSessions(const std::string& userId) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kSessionColumns +
                         " FROM sessions WHERE user_id = ?1 AND ended_at IS NULL ORDER BY created_at DESC")
                            .c_str());
  s.bind(1, userId);
  std::vector<SessionRecord> out;
  while (s.step()) out.push_back(readSession(s));
  return out;
}

std::optional<ThrottleRecord> SqliteStore::throttle(const std::string& key) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT key, failures, window_start, locked_until FROM auth_throttle WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return ThrottleRecord{s.text(0), static_cast<int>(s.integer(1)), s.integer(2), s.integer(3)};
}

void SqliteStore::putThrottle(const ThrottleRecord& r) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO auth_throttle (key, failures, window_start, locked_until) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, "
      "window_start = excluded.window_start, locked_until = excluded.locked_until");
  s.bind(1, r.key).bind(2, r.failures).bind(3, r.windowStart).bind(4, r.lockedUntil).run();
}

void SqliteStore::clearThrottle(const std::string& key) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM auth_throttle WHERE key = ?1").bind(1, key).run();
}

int SqliteStore::purgeSessions(int64_t endedBefore, int64_t seenBefore) {
  Lock lock(mutex_);
  // A remembered phone's session lives to its remember_until, however long it was idle.
  db_->prepare(
         "DELETE FROM sessions WHERE (ended_at IS NOT NULL AND ended_at < ?1) OR "
         "(ended_at IS NULL AND remember_key IS NULL AND last_seen_at < ?2) OR "
         "(ended_at IS NULL AND remember_key IS NOT NULL AND remember_until < ?2)")
      .bind(1, endedBefore).bind(2, seenBefore).run();
  return db_->changes();
}

int SqliteStore::purgeExpiredCodes(int64_t now) {
  int removed = 0;
  transaction([&] {
    // Expired password codes stay a month, so the managers' home can say an account's code ran
    // out unused (issue 16); they never work after expiry.
    db_->prepare("DELETE FROM password_resets WHERE expires_at <= ?1").bind(1, now - 30 * 86400).run();
    removed += db_->changes();
    db_->prepare("UPDATE devices SET enrolment_code_hash = NULL WHERE enrolment_code_hash IS NOT NULL AND enrolment_expires_at <= ?1")
        .bind(1, now).run();
    removed += db_->changes();
    db_->prepare("DELETE FROM device_challenges WHERE expires_at <= ?1").bind(1, now).run();
    removed += db_->changes();
  });
  return removed;
}

int64_t SqliteStore::appendAudit(const AuditRecord& r) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "INSERT INTO audit_log (at, event, actor_id, actor_name, address, device_id, target_type, "
      "target_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.bind(1, r.at).bind(2, r.event).bind(3, r.actorId).bind(4, r.actorName).bind(5, r.address);
  s.bind(6, r.deviceId).bind(7, r.targetType).bind(8, r.targetId).bind(9, r.detail).run();
  return db_->lastInsertRowId();
}

int64_t SqliteStore::countAudit(const std::string& event, int64_t since, int64_t until) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT count(*) FROM audit_log WHERE event = ?1 AND at >= ?2 AND at < ?3");
  s.bind(1, event).bind(2, since).bind(3, until);
  return s.step() ? s.integer(0) : 0;
}

std::vector<AuditRecord> SqliteStore::audit(const AuditQuery& q) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT seq, at, event, actor_id, actor_name, address, device_id, target_type, target_id, detail "
      "FROM audit_log WHERE (?1 IS NULL OR event = ?1) AND (?2 IS NULL OR actor_id = ?2) "
      "AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4) AND (?5 IS NULL OR seq < ?5) "
      "ORDER BY seq DESC LIMIT ?6");
  s.bind(1, q.event).bind(2, q.actorId);
  if (q.since) s.bind(3, *q.since); else s.bind(3, nullptr);
  if (q.until) s.bind(4, *q.until); else s.bind(4, nullptr);
  if (q.beforeSeq) s.bind(5, *q.beforeSeq); else s.bind(5, nullptr);
  s.bind(6, q.limit);
  std::vector<AuditRecord> out;
  while (s.step()) {
    AuditRecord r;
    r.seq = s.integer(0);
    r.at = s.integer(1);
    r.event = s.text(2);
    r.actorId = s.optionalText(3);
    r.actorName = s.optionalText(4);
    r.address = s.optionalText(5);
    r.deviceId = s.optionalText(6);
    r.targetType = s.optionalText(7);
    r.targetId = s.optionalText(8);
    r.detail = s.text(9);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace nestbox::storage
