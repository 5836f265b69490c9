#pragma once
// Store and JournalStore over SQLite in WAL mode (issue 14): one writer connection, guarded by
// a mutex, for every write and transaction; and a read-only connection per thread for reads,
// which WAL lets run beside the writer — a parent's feed never waits for a staff member's
// commit and its fsync. Inside a thread's own transaction reads use the writer, so they see
// what the transaction wrote. An in-memory database (tests) has only the writer. The journal
// half lives in sqlite_journal_store.cpp.

#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/device_store.hpp"
#include "storage/engagement_store.hpp"
#include "storage/erasure_store.hpp"
#include "storage/export_store.hpp"
#include "storage/lockdown_store.hpp"
#include "storage/sqlite.hpp"
#include "storage/journal_store.hpp"
#include "storage/store.hpp"

namespace nestbox::storage {

class SqliteStore final : public Store, public JournalStore, public DeviceStore, public LockdownStore,
                          public ExportStore, public ErasureStore, public EngagementStore {
 public:
  // Opens the database and applies pending migrations. ":memory:" works for tests.
  explicit SqliteStore(const std::string& path);
  ~SqliteStore() override;

  void transaction(const std::function<void()>& work) override;

  std::optional<std::string> boxValue(const std::string& key) override;
  void setBoxValue(const std::string& key, const std::string& value) override;
  void deleteBoxValue(const std::string& key) override;

  std::optional<SettingRecord> setting() override;
  void saveSetting(const SettingRecord& setting) override;

  void insertUser(const UserRecord& user) override;
  void updateUser(const UserRecord& user) override;
  std::optional<UserRecord> userById(const std::string& id) override;
  std::optional<UserRecord> userByUsername(const std::string& username) override;
  std::vector<UserRecord> users(const UserQuery& query) override;

  void putPasswordReset(const PasswordResetRecord& reset) override;
  std::optional<PasswordResetRecord> passwordReset(const std::string& userId) override;
  void deletePasswordReset(const std::string& userId) override;

  void insertSession(const SessionRecord& session) override;
  std::optional<std::pair<SessionRecord, UserRecord>> sessionWithUser(const std::string& tokenHash) override;
  std::optional<SessionRecord> sessionById(const std::string& id) override;
  void rotateSessionToken(const std::string& id, const std::string& oldHash, const std::string& newHash,
                          int64_t at) override;
  std::optional<std::pair<SessionRecord, int64_t>> sessionOfOldToken(const std::string& tokenHash) override;
  void setSessionChallenge(const std::string& id, const std::optional<std::string>& challengeHash) override;
  void confirmSessionPassword(const std::string& id, int64_t at) override;
  void touchSession(const std::string& id, int64_t lastSeenAt) override;
  void proveSessionDevice(const std::string& id, int64_t at) override;
  void setSessionChildView(const std::string& id, const std::optional<std::string>& childId) override;
  void endSession(const std::string& id, int64_t at, const std::string& reason) override;
  int endUserSessions(const std::string& userId, int64_t at, const std::string& reason,
                      const std::optional<std::string>& keepId) override;
  std::vector<SessionRecord> openSessions(const std::string& userId) override;

  std::optional<ThrottleRecord> throttle(const std::string& key) override;
  void putThrottle(const ThrottleRecord& record) override;
  void clearThrottle(const std::string& key) override;

  int purgeSessions(int64_t endedBefore, int64_t seenBefore) override;
  int purgeExpiredCodes(int64_t now) override;

  int64_t appendAudit(const AuditRecord& record) override;
  int64_t countAudit(const std::string& event, int64_t since, int64_t until) override;
  std::vector<AuditRecord> audit(const AuditQuery& query) override;

  void insertRoom(const RoomRecord& room) override;
  void updateRoom(const RoomRecord& room) override;
  std::optional<RoomRecord> room(const std::string& id) override;
  std::vector<RoomRecord> rooms() override;
  void putReleasePoint(const ReleasePointRecord& point) override;
  void deleteReleasePoint(const std::string& roomId, int64_t at) override;
  std::vector<ReleasePointRecord> releasePoints(const std::string& roomId) override;

  void insertChild(const ChildRecord& child) override;
  void updateChild(const ChildRecord& child) override;
  std::optional<ChildRecord> child(const std::string& id) override;
  std::vector<ChildRecord> children(const ChildQuery& query) override;
  std::vector<ChildRecord> childrenOfParent(const std::string& parentId) override;
  std::vector<std::string> carersOf(const std::string& childId) override;
  void linkCarer(const std::string& childId, const std::string& parentId) override;
  void unlinkCarer(const std::string& childId, const std::string& parentId) override;

  std::optional<ConsentRecord> consent(const std::string& childId) override;
  void putConsent(const ConsentRecord& consent) override;
  std::vector<ConsentRecord> consentHistory(const std::string& childId) override;
  std::vector<ConsentRecord> consents(const std::vector<std::string>& childIds) override;

  void acceptAgreement(const std::string& userId, int version, int64_t at) override;
  bool hasAcceptedAgreement(const std::string& userId, int version) override;

  void insertEntry(const EntryRecord& entry) override;
  void updateEntry(const EntryRecord& entry) override;
  std::optional<EntryRecord> entry(const std::string& id) override;
  std::vector<EntryRecord> entries(const EntryQuery& query) override;
  std::vector<EntryRecord> visibleEntries(const SqlFilter& visible, const VisibleEntryQuery& query) override;
  bool entryVisible(const std::string& entryId, const SqlFilter& visible) override;
  void appendEntryVersion(const EntryVersionRecord& version) override;
  std::vector<std::string> deleteEntry(const std::string& entryId) override;
  std::vector<EntryVersionRecord> entryVersions(const std::string& entryId) override;

  uint64_t feedVersion() const override;
  uint64_t feedVersion(const std::vector<std::string>& childIds) const override;
  std::optional<int64_t> nextReleaseAfter(int64_t now) override;

  void insertMedia(const MediaRecord& media) override;
  void updateMedia(const MediaRecord& media) override;
  std::optional<MediaRecord> media(const std::string& id) override;
  std::vector<MediaRecord> mediaInState(const std::string& state) override;
  std::vector<MediaRecord> mediaToCoverAgain(int marginPct) override;
  void setMediaChildren(const std::string& mediaId, const std::vector<MediaTagRecord>& children) override;
  bool hashReferenced(const std::string& sha256) override;
  int64_t mediaBytes() override;
  std::vector<std::string> mediaHashes() override;

  void insertUpload(const UploadRecord& upload) override;
  std::optional<UploadRecord> upload(const std::string& id) override;
  void updateUpload(const UploadRecord& upload) override;
  void deleteUpload(const std::string& id) override;
  std::vector<UploadRecord> uploads() override;

  HomeCounts homeCounts(int64_t now, const std::string& today, const std::string& observedSince,
                        int64_t seenSince) override;
  void insertInvitation(const InvitationRecord& invitation) override;
  void updateInvitation(const InvitationRecord& invitation) override;
  std::optional<InvitationRecord> invitation(const std::string& id) override;
  std::optional<InvitationRecord> invitationByCode(const std::string& codeHash) override;
  std::vector<InvitationRecord> invitationsOf(const std::string& childId) override;
  std::vector<InvitationRecord> invitationsInState(const std::string& state) override;

  void insertComment(const CommentRecord& comment) override;
  std::optional<CommentRecord> comment(const std::string& id) override;
  std::vector<CommentRecord> thread(const std::string& entryId, const std::string& childId) override;
  void hideComment(const std::string& id, const std::string& by, int64_t at, const std::string& reason) override;

  void insertDevice(const DeviceRecord& device) override;
  void updateDevice(const DeviceRecord& device) override;
  std::optional<DeviceRecord> device(const std::string& id) override;
  std::optional<DeviceRecord> deviceByEnrolmentCode(const std::string& codeHash) override;
  std::optional<DeviceRecord> deviceByClientCertificate(const std::string& sha1) override;

  // LockdownStore
  void insertIncident(const IncidentRecord& incident) override;
  void updateIncident(const IncidentRecord& incident) override;
  std::optional<IncidentRecord> openIncident() override;
  std::vector<IncidentRecord> incidents(int limit) override;
  void addIncidentUpdate(const IncidentUpdateRecord& update) override;
  std::vector<IncidentUpdateRecord> incidentUpdates(const std::string& incidentId) override;
  int endAllSessions(int64_t at, const std::string& reason) override;

  void insertExport(const ExportRecord& e) override;
  void updateExport(const ExportRecord& e) override;
  std::optional<ExportRecord> exportById(const std::string& id) override;
  std::vector<ExportRecord> exportsBy(const std::string& userId, int limit) override;
  std::vector<ExportRecord> exportsInState(const std::string& state) override;
  std::vector<ExportRecord> exportsOfChild(const std::string& childId) override;
  bool downloadedExportSince(const std::string& userId, const std::string& childId, int64_t since) override;
  int quarantineUploads(int64_t at) override;
  std::vector<DeviceRecord> devices() override;
  void touchDevice(const std::string& id, int64_t at, const std::string& userId, const std::string& address) override;
  void putChallenge(const std::string& challengeHash, const std::string& deviceId, int64_t expiresAt) override;
  std::optional<std::string> takeChallenge(const std::string& challengeHash, int64_t now) override;
  int endDeviceSessions(const std::string& deviceId, int64_t at, const std::string& reason) override;
  std::vector<std::string> deviceUploads(const std::string& deviceId) override;
  int deviceMediaSince(const std::string& deviceId, int64_t since) override;

  ErasureCounts eraseChildRows(const std::string& childId, const std::vector<std::string>& accountIds,
                               ErasureFiles& files) override;
  ErasureCounts eraseAccountRows(const std::string& userId, ErasureFiles& files) override;
  int pseudonymiseAudit(const std::vector<std::pair<std::string, std::string>>& valueToPseudonym) override;
  std::vector<std::pair<std::string, std::string>> entriesContaining(const std::string& text) override;
  void addReview(const std::string& entryId, const std::string& erasureId, int64_t at) override;
  std::vector<ErasureReviewRecord> reviews() override;
  bool resolveReview(const std::string& entryId) override;
  std::vector<ErasedMediaRecord> mediaShowingErased() override;
  void addLedger(const LedgerRecord& record) override;
  std::vector<LedgerRecord> ledger() override;
  void putLedgerKey(const std::string& keyId, const std::string& secret) override;
  std::vector<std::pair<std::string, std::string>> ledgerKeys() override;
  void putErasureRequest(const ErasureRequestRecord& request) override;
  std::optional<ErasureRequestRecord> erasureRequest(const std::string& childId) override;
  std::vector<ErasureRequestRecord> erasureRequests() override;
  void deleteErasureRequest(const std::string& childId) override;
  void markArchived(const std::string& childId, int64_t at) override;
  void compact() override;

  // EngagementStore
  void putHeart(const HeartRecord& heart) override;
  void deleteHeart(const std::string& entryId, const std::string& childId, const std::string& userId) override;
  std::vector<HeartRecord> heartsOn(const std::string& entryId) override;
  std::map<std::string, std::vector<std::string>> heartsBy(const std::string& userId,
                                                           const std::vector<std::string>& entryIds) override;
  std::vector<HeartRecord> heartsOfChild(const std::string& childId) override;
  std::map<std::string, int> commentCounts(const std::vector<std::string>& entryIds,
                                           const std::vector<std::string>& childIds) override;
  std::optional<int64_t> recordVisit(const std::string& userId, int64_t now, int64_t gap) override;
  std::vector<std::string> recentlyTagged(const std::string& authorId, int64_t since, int limit) override;
  std::vector<TemplateRecord> templates() override;
  std::optional<TemplateRecord> entryTemplate(const std::string& id) override;
  void insertTemplate(const TemplateRecord& t) override;
  void updateTemplate(const TemplateRecord& t) override;
  bool deleteTemplate(const std::string& id) override;

  int appliedMigrations() const { return appliedMigrations_; }

 private:
  // A connection to read from, and the lock that comes with it when it is the writer.
  struct Reader {
    std::unique_lock<std::recursive_mutex> lock;
    Database& db;
  };
  Reader reading();

  void writeEntryRelations(const EntryRecord& entry);
  void readEntryRelations(Database& db, EntryRecord& entry);
  void readEntryRelations(Database& db, std::vector<EntryRecord>& entries);
  // Binds a page's cursor (when there is one) and :limit, runs it, reads each entry with its relations.
  std::vector<EntryRecord> readPage(Database& db, Statement& statement, const std::optional<EntryCursor>& before, int limit);
  // Children whose families' feeds an entry (as it will be, and with `stored`, as it was) or
  // a media item's entry reaches.
  std::vector<std::string> receivers(const EntryRecord& entry, bool stored);
  std::vector<std::string> receiversOfMedia(const std::string& mediaId);
  // Invitations matching `condition` (fixed SQL on one bound value ?1), newest first.
  std::vector<InvitationRecord> invitationsWhere(const char* condition, const std::string& value);
  // Erasure: one entry and everything hanging from it; an account's own rows.
  void eraseEntryRows(const std::string& entryId, ErasureFiles& files, ErasureCounts& counts);
  void eraseAccountOnly(const std::string& userId, ErasureFiles& files, ErasureCounts& counts);
  // Entry templates: an INSERT or UPDATE binding every column (sqlite_engagement_store.cpp).
  void writeTemplate(const char* sql, const TemplateRecord& t);

  // A write that changes what families see marks it with a Changes in its scope: everything
  // (rooms, releases, consent, carers, names) or some children (their entries, media). The
  // versions move when the write has committed — at the end of the scope, or of the
  // enclosing transaction — and not at all when it throws.
  class Changes {
   public:
    explicit Changes(SqliteStore& store) : store_(store), all_(true) {}
    Changes(SqliteStore& store, std::vector<std::string> childIds) : store_(store), children_(std::move(childIds)) {}
    Changes(const Changes&) = delete;
    Changes& operator=(const Changes&) = delete;
    ~Changes() {
      if (std::uncaught_exceptions() != uncaught_) return;
      if (all_) store_.changedAll();
      else store_.changedChildren(children_);
    }

   private:
    SqliteStore& store_;
    bool all_ = false;
    std::vector<std::string> children_;
    int uncaught_ = std::uncaught_exceptions();
  };
  void changedAll();
  void changedChildren(const std::vector<std::string>& childIds);
  void publishChanges();

  const std::string path_;
  const uint64_t serial_;
  std::recursive_mutex mutex_;  // the writer
  std::unique_ptr<Database> db_;
  int transactionDepth_ = 0;
  std::atomic<std::thread::id> writerThread_{};  // the thread inside a transaction, if any
  int appliedMigrations_ = 0;
  // Changes waiting for their transaction to commit (under mutex_).
  bool pendingAll_ = false;
  std::set<std::string> pendingChildren_;
  // Published versions.
  mutable std::mutex versionsMutex_;
  uint64_t allVersion_ = 0;
  std::unordered_map<std::string, uint64_t> childVersions_;
  // Every reader connection this store opened (each used by one thread only).
  std::mutex readersMutex_;
  std::vector<std::unique_ptr<Database>> readers_;
};

}  // namespace nestbox::storage
