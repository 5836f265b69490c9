#include "daemon.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <thread>

#include "core/log.hpp"
#include "domain/accounts.hpp"
#include "domain/audit.hpp"
#include "domain/backups.hpp"
#include "domain/box_clock.hpp"
#include "domain/capture_station.hpp"
#include "domain/engagement.hpp"
#include "domain/erasure.hpp"
#include "domain/templates.hpp"
#include "domain/jobs.hpp"
#include "domain/remote_access.hpp"
#include "domain/exports.hpp"
#include "domain/lockdown.hpp"
#include "domain/presence.hpp"
#include "system/appliance_bus.hpp"
#include "system/capture_source.hpp"
#include "domain/sessions.hpp"
#include "domain/settings.hpp"
#include "domain/setup.hpp"
#include "http/api.hpp"
#include "http/pistache_server.hpp"
#include "http/streaming_server.hpp"
#include "media/subprocess_processor.hpp"
#include "storage/media_files.hpp"
#include "system/executor.hpp"
#include "security/certificate_authority.hpp"
#include "security/password.hpp"
#include "storage/migrations.hpp"
#include "storage/snapshot.hpp"
#include "storage/sqlite_store.hpp"
#include "system/clock.hpp"
#include "system/disk.hpp"
#include "system/files.hpp"
#include "system/host.hpp"
#include "system/mdns.hpp"
#include "system/random.hpp"

namespace nestbox {
namespace {

void printSetupBanner(const std::string& code, const std::string& hostname, const std::string& caFingerprint,
                      const Config& config) {
  const std::string port = config.publicHttpsPort == 443 ? "" : ":" + std::to_string(config.publicHttpsPort);
  std::printf(
      "\n"
      "  ============================================================\n"
      "   Nestbox first start. One-time setup code:  %s\n"
      "   Open https://%s.local%s/ (or the box's address) and enter it\n"
      "   to create your setting and its first manager.\n"
      "   The code is also in %s\n"
      "   Your browser will ask about the box's certificate: its authority's\n"
      "   SHA-256 fingerprint is\n"
      "     %s\n"
      "  ============================================================\n\n",
      code.c_str(), hostname.c_str(), port.c_str(), config.effectiveSetupCodeFile().c_str(), caFingerprint.c_str());
  std::fflush(stdout);
}

Severity severityOf(const std::string& level) {
  if (level == "debug") return Severity::debug;
  if (level == "warning") return Severity::warning;
  if (level == "error") return Severity::error;
  return Severity::info;
}

// Waits for a stop signal, pinging the watchdog meanwhile and calling `everySecond` about
// once a second. Returns the signal number.
int waitForStopSignal(system::ServiceNotifier& notifier, const std::function<void()>& everySecond) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  const auto interval = notifier.watchdogInterval();
  if (interval) logEvent(Event::WatchdogEnabled, {{"interval_ms", std::to_string(interval->count() / 1000)}});
  using std::chrono::steady_clock;
  const auto second = std::chrono::microseconds(1'000'000);
  const auto wait = interval ? std::min(*interval, second) : second;
  auto nextTick = steady_clock::now() + second;
  for (;;) {
    const timespec timeout{static_cast<time_t>(wait.count() / 1'000'000), static_cast<long>((wait.count() % 1'000'000) * 1000)};
    const int sig = sigtimedwait(&set, nullptr, &timeout);
    if (sig == SIGTERM || sig == SIGINT) return sig;
    // SIGHUP: nothing to reload; keep serving.
    if (steady_clock::now() >= nextTick) {
      everySecond();
      nextTick = steady_clock::now() + second;
    }
    // The ping comes from the same loop as the work above: a daemon stuck there (or stopped)
    // stops pinging, and the service manager restarts it.
    if (interval) notifier.watchdogPing();
  }
}

// The box camera's source as configured (camera = libcamera | off | files:DIR). A camera
// stack that cannot start leaves the box without a camera, and says so; nothing else stops.
std::unique_ptr<system::CaptureSource> openCameraSource(const std::string& camera) {
  std::unique_ptr<system::CaptureSource> source;
  try {
    if (camera == "off") {
      source = system::makeNoCaptureSource();
    } else if (camera.rfind("files:", 0) == 0) {
      source = system::makeFileCaptureSource(camera.substr(6), std::chrono::milliseconds(200));
    } else {
      source = system::makeLibcameraCaptureSource();
    }
  } catch (const std::exception& e) {
    logEvent(Event::CameraSourceUnavailable, {{"source", camera}, {"error", e.what()}});
    return system::makeNoCaptureSource();
  }
  logEvent(Event::CameraSourceReady, {{"source", source->kind()}, {"cameras", std::to_string(source->cameras().size())}});
  return source;
}

std::string statusLine(const domain::PresenceView& v) {
  std::string line = v.state == "setup" ? "waiting for setup" : v.state == "lockdown" ? "LOCKED DOWN" : "serving";
  line += "; " + v.url;
  if (v.mdns == "published") {
    line += " (mDNS: \"" + v.serviceName + "\")";
  } else if (v.mdns == "unavailable") {
    line += " (no mDNS: " + v.mdnsDetail + "; reach it by address)";
  }
  return line;
}

}  // namespace

int runDaemon(const Config& config, system::ServiceNotifier& notifier) {
  Logger::setMinimumSeverity(severityOf(config.logLevel));
  logEvent(Event::DaemonStarting, {{"version", NESTBOX_VERSION}, {"data_dir", config.dataDir}});
  try {
    system::ensureDirectory(config.dataDir, 0750);

    std::unique_ptr<system::Clock> clock;
    if (!config.testClockOffsetFile.empty()) {
      logEvent(Event::TestClockActive, {{"file", config.testClockOffsetFile}});
      clock = std::make_unique<system::OffsetFileClock>(config.testClockOffsetFile);
    } else {
      clock = std::make_unique<system::SystemClock>();
    }
    system::SystemRandom random;

    auto store = std::make_unique<storage::SqliteStore>(config.dataDir + "/nestbox.db");
    logEvent(Event::DatabaseOpened, {{"path", config.dataDir + "/nestbox.db"}});
    if (store->appliedMigrations() > 0) {
      logEvent(Event::DatabaseMigrated, {{"applied", std::to_string(store->appliedMigrations())},
                                         {"schema_version", std::to_string(storage::latestSchemaVersion())}});
    }

    domain::AuditLog audit(*store, *clock);
    const std::string hostname = config.hostname.empty() ? system::systemHostName() : config.hostname;
    if (clock->now() < config.clockFloor) {
      // A Pi without a real-time clock that has not reached a time server yet: certificates
      // are dated from the floor, and setup asks the manager to confirm the time.
      logEvent(Event::ClockBelowFloor, {{"now", system::formatTimestamp(clock->now())},
                                        {"floor", system::formatTimestamp(config.clockFloor)}});
    }
    const auto tls = security::ensureCertificates(config.dataDir + "/tls", {hostname, system::hostAddresses()},
                                                  clock->now(), config.clockFloor);
    if (tls.caCreated) {
      audit.record(Event::TlsCaCreated, {{}, {}, "box", {}}, std::nullopt, {{"fingerprint", tls.caFingerprint}});
    }
    if (tls.serverIssued) {
      audit.record(Event::TlsServerCertIssued, {{}, {}, "box", {}}, std::nullopt, {{"names", tls.serverNames}});
    }

    security::PasswordHasher hasher({config.passwordHashOps, config.passwordHashMemKiB});
    domain::Throttle throttle(*store);
    domain::Context ctx{*store, *clock, random, hasher, audit, throttle};
    domain::SettingsService settings(ctx);
    domain::AccountService accounts(ctx, settings);
    system::FileClockSync clockSync(config.clockSyncedFile, config.effectiveClockRequestFile());
    domain::BoxClock boxClock(ctx, clockSync, config.clockFloor);
    domain::SetupService setup(ctx, settings, boxClock);
    domain::AccessPolicy access(ctx, *store, settings);
    domain::ChildrenService children(ctx, *store, settings, access);
    domain::JournalService journal(ctx, *store, *store, settings, children, access);
    storage::MediaFiles mediaFiles(config.dataDir + "/media");
    auto processor = media::makeSubprocessMediaProcessor({media::defaultWorkerProgram(), {}, std::chrono::seconds(600)});
    auto mediaWorkers = std::make_unique<system::ThreadPool>(config.mediaWorkers);
    system::FileSystemDisk dataDisk(config.dataDir);
    domain::MediaService media(ctx, *store, children, settings, access, mediaFiles, *processor, *mediaWorkers, dataDisk);
    media.recover();

    if (const auto code = setup.prepare(config.effectiveSetupCodeFile())) {
      printSetupBanner(*code, hostname, tls.caFingerprint, config);
    }

    domain::DeviceService devices(ctx, *store, *store, media);
    domain::SessionService sessions(ctx, settings, devices);
    domain::LockdownService lockdown(ctx, *store, settings);
    // On the network (issue 8): announced by mDNS, with certificate names that follow the host.
    std::unique_ptr<system::MdnsPublisher> mdns;
    if (config.mdns == "avahi") {
      try {
        mdns = system::startAvahiPublisher();
      } catch (const std::exception& e) {
        logEvent(Event::MdnsUnavailable, {{"reason", e.what()}});
      }
    }
    const std::string tlsDir = config.dataDir + "/tls";
    domain::NetworkPresence presence(
        {NESTBOX_VERSION, tls.caFingerprint, config.publicHttpsPort}, settings, lockdown, mdns.get(),
        [&config] {
          return domain::HostFacts{config.hostname.empty() ? system::systemHostName() : config.hostname,
                                   system::hostAddresses()};
        },
        [&](const security::CertificateNames& names) {
          const auto renewed = security::ensureCertificates(tlsDir, names, clock->now(), config.clockFloor);
          if (renewed.serverIssued) {
            audit.record(Event::TlsServerCertIssued, {{}, {}, "box", {}}, std::nullopt, {{"names", renewed.serverNames}});
          }
        });
    presence.tick();
    domain::InvitationService invitations(ctx, *store, settings, children, accounts);
    // Backups run outside the daemon (nestbox-backup, as root); it reads their results (issue 19).
    domain::BackupMonitor backups(ctx, config.dataDir + "/backup-status.json", config.dataDir + "/backup-check.json");
    backups.tick();
    // Remote access's certificate (issue 31): asked of the root-run ACME agent, watched here.
    domain::RemoteAccess remote(ctx, {config.dataDir + "/remote/remote.conf", tlsDir + "/public/fullchain.pem",
                                      config.dataDir + "/remote/acme-request", config.dataDir + "/remote/acme-status"});
    domain::ManagerHome home(ctx, *store, settings, children, invitations, lockdown, media, backups, remote);
    // What needs root (disks, the recovery key, restic) is asked of the backup agent through
    // its spool in /run; the schedule runs here, on the loop below.
    const auto backupAgent = system::makeSpoolBackupAgent(config.effectiveBackupSpool());
    domain::BackupService backupService(ctx, settings, setup, backups, *backupAgent, config.effectiveSetupCodeFile());
    // The box camera (issue 18): off at once when a lockdown is engaged here, within a second
    // when it is engaged elsewhere (tick below).
    const auto cameraSource = openCameraSource(config.camera);
    domain::CaptureStation camera(ctx, *cameraSource, children, access, media, lockdown, *store);
    lockdown.onEngaged([&camera] { camera.stopAll("lockdown"); });
    // Journal exports (issue 20): one at a time, on their own thread, so a 2 GB export never
    // holds up the photos staff are uploading; a lockdown stops them.
    auto exportWorkers = std::make_unique<system::ThreadPool>(1);
    domain::ExportService exports(ctx, *store, settings, children, journal, media, lockdown, mediaFiles, *processor,
                                  *exportWorkers, dataDisk);
    exports.recover();
    lockdown.onEngaged([&exports] { exports.stopAll("lockdown"); });
    // Data has an end (issue 21): leavers archived and erased on the setting's clock; the
    // erasure ledger, kept in the database and in a file a restore carries over, erases again
    // whatever a restored backup brought back.
    domain::ErasureLedger erasureLedger(*store, random, config.dataDir + "/erasure-ledger");
    domain::ErasureService erasure(ctx, *store, *store, children, settings, mediaFiles, erasureLedger);
    erasure.beforeErasing([&exports](const std::string& childId) { exports.stopChild(childId); });
    try {
      erasure.reapplyLedger();
    } catch (const std::exception& e) {
      logEvent(Event::ErasureLedgerProblem, {{"error", e.what()}});
    }
    domain::EngagementService engagement(ctx, *store, *store, children, access);
    domain::TemplateService templates(ctx, *store, settings, children);
    http::Api api({settings, accounts, sessions, setup, audit, children, journal, media, devices, lockdown, presence,
                   invitations, home, boxClock, camera, backupService, exports, erasure, engagement, templates,
                   config.effectiveSetupCodeFile(),
                   system::readFile(tlsDir + "/ca.crt"), tls.caFingerprint, tlsDir});
    http::HttpServer server(config, api);
    server.start();
    http::StreamingServer uploads(config, api);
    uploads.start();
    // The box's panel: a lockdown button and an LED on GPIO lines, when wired.
    std::unique_ptr<system::InputLine> button;
    std::unique_ptr<system::OutputLine> led;
    try {
      if (!config.buttonGpio.empty()) button = system::openGpioInput(config.buttonGpio, true, "nestbox-lockdown");
      if (!config.ledGpio.empty()) led = system::openGpioOutput(config.ledGpio, "nestbox-status");
      if (button || led) logEvent(Event::PanelReady, {{"button", config.buttonGpio}, {"led", config.ledGpio}});
    } catch (const std::exception& e) {
      logEvent(Event::PanelUnavailable, {{"error", e.what()}});
    }
    domain::LockdownPanel panel(lockdown, button.get(), led.get(), [&camera] { return camera.running(); });
    std::atomic<bool> panelStop{false};
    std::thread panelThread;
    if (button || led) {
      panelThread = std::thread([&] {
        const auto start = std::chrono::steady_clock::now();
        while (!panelStop) {
          const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
          try {
            panel.tick(ms);
          } catch (const std::exception& e) {
            logEvent(Event::PanelUnavailable, {{"error", e.what()}});
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      });
    }
    struct JoinPanel {
      std::atomic<bool>& stop;
      std::thread& thread;
      ~JoinPanel() {
        stop = true;
        if (thread.joinable()) thread.join();
      }
    } joinPanel{panelStop, panelThread};
    // The box's own way in (issue 7): D-Bus for nestboxctl and other local tools.
    std::unique_ptr<system::ApplianceBus> applianceBus;
    if (config.dbus == "system") {
      try {
        applianceBus = system::ApplianceBus::start(
            {[&lockdown](const std::string& reason) { lockdown.engageLocally("dbus", "dbus", reason); },
             [&lockdown] {
               const auto open = lockdown.current();
               return std::pair<bool, std::string>{open.has_value(),
                                                   open ? system::formatTimestamp(open->record.engagedAt) : ""};
             }});
        logEvent(Event::ApplianceBusReady, {{"name", "org.nestbox.Appliance1"}});
      } catch (const std::exception& e) {
        logEvent(Event::ApplianceBusUnavailable, {{"error", e.what()}});
      }
    }
    logEvent(Event::DaemonReady, {{"listen", config.listenAddress + ":" + std::to_string(server.port())},
                                  {"uploads", config.listenAddress + ":" + std::to_string(uploads.port())},
                                  {"ca_fingerprint", tls.caFingerprint},
                                  {"setup", setup.complete() ? "complete" : "required"}});
    std::string lastStatus = statusLine(presence.view());
    notifier.ready(lastStatus);

    // Periodic work (housekeeping now; later issues add theirs), on the same loop.
    domain::JobRunner jobs(ctx);
    domain::addHousekeepingJobs(jobs, ctx);
    jobs.add("exports_expire", 3600, [&exports] { return exports.expire(); });
    jobs.add("leavers", 3600, [&erasure] { return erasure.runLeavers(); });
    jobs.add("public_certificate", 3600, [&remote] { return remote.tick(); });
    jobs.add("redaction_cover", 600, [&media] { return media.coverAgain(); });
    auto certificateChecked = std::chrono::steady_clock::now();
    const int sig = waitForStopSignal(notifier, [&] {
      presence.tick();
      if (std::chrono::steady_clock::now() - certificateChecked > std::chrono::minutes(1)) {
        presence.recheckCertificate();
        certificateChecked = std::chrono::steady_clock::now();
      }
      jobs.tick();
      camera.tick();
      backups.tick();  // reads the backup results only when they changed
      backupService.tick();  // the day's backup, when its time has come (a lockdown too)
      const std::string status = statusLine(presence.view());
      if (status != lastStatus) notifier.status(lastStatus = status);
    });
    notifier.stopping();
    logEvent(Event::DaemonStopping, {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    // Cut uploads keep what arrived (tus resumes); then finish the API requests in flight.
    uploads.stop();
    const bool drained = server.drain(std::chrono::milliseconds(config.shutdownGraceMs));
    server.stop();
    camera.stopAll("box_stopping");
    exports.stopAll("box_stopping");
    exportWorkers.reset();
    // Processing in hand finishes; what was queued resumes at the next start.
    mediaWorkers.reset();
    store.reset();
    logEvent(Event::DatabaseClosed);
    logEvent(Event::DaemonStopped, {{"drained", drained ? "yes" : "no"}});
    return 0;
  } catch (const std::exception& e) {
    logEvent(Event::DaemonFatal, {{"error", e.what()}});
    return 1;
  }
}

namespace {
// The services a command on the box's command line needs, over the same database and media
// directory as the running daemon (SQLite in WAL mode lets both write), without the network.
struct OfflineServices {
  explicit OfflineServices(const Config& config)
      : store(config.dataDir + "/nestbox.db"),
        audit(store, clock),
        hasher({config.passwordHashOps, config.passwordHashMemKiB}),
        throttle(store),
        ctx{store, clock, random, hasher, audit, throttle},
        settings(ctx),
        access(ctx, store, settings),
        children(ctx, store, settings, access),
        mediaFiles(config.dataDir + "/media"),
        processor(media::makeSubprocessMediaProcessor({media::defaultWorkerProgram(), {}, std::chrono::seconds(600)})),
        disk(config.dataDir),
        media(ctx, store, children, settings, access, mediaFiles, *processor, inline_, disk) {}

  system::SystemClock clock;
  system::SystemRandom random;
  storage::SqliteStore store;
  domain::AuditLog audit;
  security::PasswordHasher hasher;
  domain::Throttle throttle;
  domain::Context ctx;
  domain::SettingsService settings;
  domain::AccessPolicy access;
  domain::ChildrenService children;
  storage::MediaFiles mediaFiles;
  std::unique_ptr<media::MediaProcessor> processor;
  system::FileSystemDisk disk;
  system::InlineExecutor inline_;
  domain::MediaService media;
};
}  // namespace

int runDeviceCommand(const Config& config, const DeviceCommand& command) {
  Logger::setMinimumSeverity(severityOf(config.logLevel));
  try {
    OfflineServices offline(config);
    domain::DeviceService devices(offline.ctx, offline.store, offline.store, offline.media);
    // Whoever can run this is root or the nestbox user on the box itself: a manager's act,
    // audited as the box console.
    const domain::Principal console{"", "console", "Box console", domain::Role::manager, "", "", false,
                                    {"local", "nestboxd", std::nullopt}, std::nullopt, std::nullopt};
    const auto all = devices.list(console);
    if (command.list) {
      std::printf("%-32s  %-9s  %-20s  %s\n", "ID", "STATE", "LAST SEEN", "NAME");
      for (const auto& d : all) {
        std::printf("%-32s  %-9s  %-20s  %s\n", d.id.c_str(), d.state.c_str(),
                    d.lastSeenAt ? system::formatTimestamp(*d.lastSeenAt).c_str() : "never", d.name.c_str());
      }
      return 0;
    }
    std::vector<storage::DeviceRecord> matches;
    for (const auto& d : all) {
      if (d.id == command.report || d.name == command.report) matches.push_back(d);
    }
    if (matches.size() != 1) {
      std::fprintf(stderr, "nestboxd: %s device called '%s'; list them with --devices and use its ID\n",
                   matches.empty() ? "no" : "more than one", command.report.c_str());
      return 2;
    }
    const auto revoked = devices.report(console, matches.front().id, {command.what, command.note});
    std::printf("%s (%s) is revoked: its sessions are ended and its unfinished uploads discarded. "
                "Re-enrol it from the devices screen if it is found.\n",
                revoked.name.c_str(), revoked.id.c_str());
    return 0;
  } catch (const std::exception& e) {  // DomainError included: its message says what to do
    std::fprintf(stderr, "nestboxd: %s\n", e.what());
    return 2;
  }
}

int runLockdownCommand(const Config& config, const std::string& reason) {
  Logger::setMinimumSeverity(severityOf(config.logLevel));
  try {
    OfflineServices offline(config);
    domain::LockdownService lockdown(offline.ctx, offline.store, offline.settings);
    const auto incident = lockdown.engageLocally("cli", "console", reason);
    std::printf("Nestbox is locked down (since %s): every session has ended and the journal is closed. "
                "A manager lifts it in the web app with their password and PIN.\n",
                system::formatTimestamp(incident.record.engagedAt).c_str());
    return 0;
  } catch (const std::exception& e) {  // DomainError included: its message says what to do
    std::fprintf(stderr, "nestboxd: %s\n", e.what());
    return 2;
  }
}

int runCheck(const Config& config, bool repair) {
  Logger::setMinimumSeverity(severityOf(config.logLevel));
  try {
    OfflineServices offline(config);
    const auto r = offline.media.check(repair);
    std::printf(
        "media check: %s\n"
        "  orphan files (objects, previews, upload data): %d, %d, %d\n"
        "  uploads without data: %d\n"
        "  items whose stored file is missing: %d\n"
        "  missing previews: %d\n"
        "  interrupted processing: %d\n"
        "  repaired: %d\n",
        r.consistent() ? "consistent" : (repair ? "inconsistencies found and repaired" : "inconsistencies found"),
        r.orphanObjects, r.orphanDerived, r.orphanParts, r.missingParts, r.missingObjects, r.missingDerived,
        r.resumedProcessing, r.repaired);
    if (r.consistent()) return 0;
    return repair && !r.missingObjects ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nestboxd --check: %s\n", e.what());
    return 2;
  }
}

int runSnapshotCommand(const Config& config, const std::string& path) {
  Logger::setMinimumSeverity(severityOf(config.logLevel));
  system::SystemClock clock;
  try {
    const int64_t takenAt = clock.now();
    const auto snapshot = storage::snapshotDatabase(config.dataDir + "/nestbox.db", path);
    logEvent(Event::BackupSnapshotTaken, {{"bytes", std::to_string(snapshot.bytes)},
                                          {"duration_ms", std::to_string(snapshot.durationMs)}});
    const Json out = {{"taken_at", system::formatTimestamp(takenAt)},
                      {"bytes", snapshot.bytes},
                      {"duration_ms", snapshot.durationMs},
                      {"schema_version", snapshot.schemaVersion},
                      {"version", NESTBOX_VERSION}};
    std::puts(out.dump().c_str());
    return 0;
  } catch (const std::exception& e) {
    logEvent(Event::BackupSnapshotFailed, {{"error", e.what()}});
    std::fprintf(stderr, "nestboxd --snapshot: %s\n", e.what());
    return 1;
  }
}

int runVerifyDatabaseCommand(const std::string& path) {
  try {
    const int version = storage::checkDatabase(path);
    std::printf("{\"integrity\":\"ok\",\"schema_version\":%d}\n", version);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nestboxd --verify-database: %s\n", e.what());
    return 1;
  }
}

int runRestoredCommand(const Config& config, const std::string& snapshot) {
  Logger::setMinimumSeverity(severityOf(config.logLevel));
  try {
    OfflineServices offline(config);
    const int ended = offline.store.endAllSessions(offline.clock.now(), "restored");
    offline.audit.record(Event::BackupRestored, {{}, "console", "local", std::nullopt}, std::nullopt,
                         {{"snapshot", snapshot}, {"sessions_ended", ended}});
    std::printf("Every session has ended: everyone signs in again.\n");
    // What was erased since the snapshot was taken is erased again (the ledger came over).
    domain::ErasureLedger ledger(offline.store, offline.random, config.dataDir + "/erasure-ledger");
    domain::ErasureService erasure(offline.ctx, offline.store, offline.store, offline.children, offline.settings,
                                   offline.mediaFiles, ledger);
    const int again = erasure.reapplyLedger();
    if (again > 0) std::printf("%d erased children or accounts the backup still held were erased again.\n", again);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nestboxd --restored: %s\n", e.what());
    return 2;
  }
}

int printRoutes() {
  Json routes = Json::array();
  for (const auto& r : http::Api::describeRoutes()) {
    routes.push_back({{"method", r.method},
                      {"pattern", r.pattern},
                      {"audience", http::Api::audienceName(r.rules.audience)},
                      {"child_view", r.rules.childView},
                      {"lockdown_open", r.rules.lockdownOpen},
                      {"password_change", r.rules.passwordChange},
                      {"proof_due", r.rules.proofDue},
                      {"remember_due", r.rules.rememberDue},
                      {"fresh_password", r.rules.freshPassword},
                      {"signed_by_phone", r.rules.signedByPhone},
                      {"outside", domain::outsideReachName(r.rules.outside)}});
  }
  std::puts(routes.dump(2).c_str());
  return 0;
}

}  // namespace nestbox
