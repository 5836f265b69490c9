#pragma once
// A whole domain + API stack in memory: fake clock, seeded randomness, an in-memory SQLite
// store and cheap argon2id parameters. No sockets, no files except where a test asks.

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "domain/accounts.hpp"
#include "domain/audit.hpp"
#include "domain/errors.hpp"
#include "domain/children.hpp"
#include "domain/devices.hpp"
#include "domain/journal.hpp"
#include "domain/media.hpp"
#include "domain/backups.hpp"
#include "domain/capture_station.hpp"
#include "fake_backup_agent.hpp"
#include "fake_camera.hpp"
#include "fake_executor.hpp"
#include "fake_media.hpp"
#include "fake_mdns.hpp"
#include "domain/presence.hpp"
#include "domain/sessions.hpp"
#include "domain/settings.hpp"
#include "domain/setup.hpp"
#include "http/api.hpp"
#include "security/password.hpp"
#include "storage/media_files.hpp"
#include "storage/sqlite_store.hpp"
#include "system/executor.hpp"
#include "system/clock.hpp"
#include "system/disk.hpp"
#include "system/random.hpp"
#include "tablet_key.hpp"

namespace nestbox::testing {

inline std::string tempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("nestbox-unit-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// The kind of DomainError `f` throws; fails the test when it throws none.
inline domain::ErrorKind kindOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const domain::DomainError& e) {
    return e.kind;
  }
  FAIL("no DomainError thrown");
  return domain::ErrorKind::invalid;
}

// The DomainError `f` throws, to check its code, field or message; fails the test when none.
template <typename F>
domain::DomainError errorOf(F&& f) {
  try {
    f();
  } catch (const domain::DomainError& e) {
    return e;
  }
  FAIL("no DomainError thrown");
  throw std::logic_error("unreachable");
}

inline const std::string kManagerPassword = "Correct horse battery 9";

struct Stack {
  static int& stacks() {
    static int count = 0;
    return count;
  }
  // A store on a file (a path) for tests that look at the file itself; in memory otherwise.
  explicit Stack(std::string databasePath = ":memory:", std::string erasureLedgerFile = "")
      : databasePath(std::move(databasePath)), ledgerFile(std::move(erasureLedgerFile)) {}
  std::string databasePath;
  std::string ledgerFile;
  system::FakeClock clock;
  system::SeededRandom random{42};
  storage::SqliteStore store{databasePath};
  security::PasswordHasher hasher{{1, 8 * 1024}};
  domain::AuditLog audit{store, clock};
  domain::Throttle throttle{store};
  domain::Context ctx{store, clock, random, hasher, audit, throttle};
  domain::SettingsService settings{ctx};
  domain::AccountService accounts{ctx, settings};
  system::FakeClockSync clockSync;
  domain::BoxClock boxClock{ctx, clockSync, 1'700'000'000};
  domain::SetupService setup{ctx, settings, boxClock};
  domain::AccessPolicy access{ctx, store, settings};
  domain::ChildrenService children{ctx, store, settings, access};
  domain::JournalService journal{ctx, store, store, settings, children, access};
  storage::MediaFiles mediaFiles{tempDir("media-" + std::to_string(++stacks())) + "/media"};
  FakeMediaProcessor processor;
  system::InlineExecutor workers;
  system::FakeDisk disk;
  domain::MediaService media{ctx, store, children, settings, access, mediaFiles, processor, workers, disk};
  domain::DeviceService devices{ctx, store, store, media};
  domain::SessionService sessions{ctx, settings, devices};
  domain::LockdownService lockdown{ctx, store, settings};
  FakeMdnsPublisher mdns;
  domain::HostFacts hostFacts{"nestbox", {"127.0.0.1", "::1", "192.168.1.2", "fd00::2"}};
  std::vector<security::CertificateNames> certificateRequests;
  domain::NetworkPresence presence{{"0.1.0", "AB:CD:EF:01:23:45:67:89:AB:CD", 443}, settings, lockdown, &mdns,
                                   [this] { return hostFacts; },
                                   [this](const security::CertificateNames& n) { certificateRequests.push_back(n); }};
  std::string codeFile = tempDir("setup") + "/setup-code.txt";
  domain::InvitationService invitations{ctx, store, settings, children, accounts};
  std::string backupStatusFile = tempDir("backups-" + std::to_string(stacks())) + "/backup-status.json";
  std::string backupCheckFile = backupStatusFile.substr(0, backupStatusFile.rfind('/')) + "/backup-check.json";
  domain::BackupMonitor backups{ctx, backupStatusFile, backupCheckFile};
  std::string remoteDir = tempDir("remote");
  domain::RemoteAccess remote{ctx, {remoteDir + "/remote.conf", remoteDir + "/fullchain.pem", remoteDir + "/acme-request",
                                    remoteDir + "/acme-status"}};
  domain::ManagerHome home{ctx, store, settings, children, invitations, lockdown, media, backups, remote};
  FakeCamera camera;
  domain::CaptureStation station{ctx, camera, children, access, media, lockdown, store, {60, 15, std::chrono::milliseconds(2000)}};
  FakeBackupAgent backupAgent;
  domain::BackupService backupService{ctx, settings, setup, backups, backupAgent, codeFile};
  QueuedExecutor exportWorkers;
  domain::ExportService exports{ctx, store, settings, children, journal, media, lockdown, mediaFiles, processor,
                                exportWorkers, disk};
  domain::ErasureLedger erasureLedger{store, random, ledgerFile};
  domain::ErasureService erasure{ctx, store, store, children, settings, mediaFiles, erasureLedger};
  domain::EngagementService engagement{ctx, store, store, children, access};
  domain::TemplateService templates{ctx, store, settings, children};
  http::Api api{{settings, accounts, sessions, setup, audit, children, journal, media, devices, lockdown, presence,
                 invitations, home, boxClock, station, backupService, exports, erasure, engagement, templates,
                 codeFile, "PEM", "AA:BB"}};
  // On the staff network: inside the setting's default secure subnets.
  domain::RequestOrigin origin{"192.168.1.10", "unit-test", std::nullopt};

  // Runs setup with a fresh code; returns the first manager, signed in.
  domain::Principal setUp() {
    const auto code = setup.prepare(codeFile);
    domain::SetupRequest r{*code, "Rainbow Nursery", "eyfs", "manager", "Beth McNerlin", std::nullopt,
                           kManagerPassword, std::nullopt};
    setup.run(r, origin, codeFile);
    return sessions.signIn("manager", kManagerPassword, origin).principal;
  }

  // Creates an account and sets its password through the one-time code, as a person would.
  storage::UserRecord addUser(const domain::Principal& manager, const std::string& username, domain::Role role,
                              const std::string& password) {
    auto [user, code] = accounts.create(manager, {username, "Name of " + username, std::nullopt, role});
    accounts.redeemCode(username, code.code, password, origin);
    return *store.userById(user.id);
  }

  // The setting's registered tablet, enrolled by the first manager on first use.
  struct Tablet {
    std::string id;
    std::unique_ptr<TabletKey> key;
  };
  Tablet& tablet() {
    if (!tablet_.key) {
      const auto manager = sessions.signIn("manager", kManagerPassword, origin).principal;
      tablet_.key = std::make_unique<TabletKey>();
      tablet_.id = devices.enrol(devices.create(manager, "Tablet", std::nullopt).code, tablet_.key->publicKey(), origin).id;
    }
    return tablet_;
  }
  // A fresh proof from the tablet, as its browser makes one.
  domain::DeviceProof proof() {
    auto& t = tablet();
    const auto challenge = devices.challenge(t.id);
    return {t.id, challenge, t.key->sign(challenge)};
  }
  domain::SignInResult signInOnTablet(const std::string& username, const std::string& password) {
    return sessions.signIn(username, password, origin, proof());
  }

  int auditCount(const std::string& event) {
    storage::AuditQuery q;
    q.event = event;
    q.limit = 1000;
    return static_cast<int>(store.audit(q).size());
  }

 private:
  Tablet tablet_;
};

}  // namespace nestbox::testing
