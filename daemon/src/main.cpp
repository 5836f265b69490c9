// nestboxd: the Nestbox appliance daemon. Parses the command line and hands over.

#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "core/build_info.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "daemon.hpp"
#include "system/service_notifier.hpp"

namespace {
void usage() {
  std::puts(
      "Usage: nestboxd [--config FILE] [--check [--repair] | --devices | --report-device ID --what WHAT [--note TEXT]]\n"
      "  --config FILE   read settings from FILE (key = value lines) over the built-in defaults\n"
      "  --check         compare the database with the media files, report, and exit\n"
      "                  (0: consistent, 1: inconsistencies found); run while nestboxd is stopped\n"
      "  --repair        with --check: remove orphans, remake missing previews, mark lost items\n"
      "  --devices       list the registered devices and exit\n"
      "  --report-device ID|NAME --what lost|stolen|damaged [--note TEXT]\n"
      "                  revoke a device at once (while the daemon runs, too), as the devices screen does\n"
      "  --lockdown --reason TEXT\n"
      "                  lock the box down at once (policy 001): sessions end, the journal closes\n"
      "  --snapshot FILE a consistent copy of the database to FILE (checked), while the daemon\n"
      "                  runs; prints what it took as JSON (for nestbox-backup)\n"
      "  --restored ID   after nestbox-backup restored snapshot ID: end every session, audit it\n"
      "  --verify-database FILE  check a database copy (read-only integrity check) and exit\n"
      "  --routes        print every API route with its declared audience as JSON, and exit\n"
      "  --version       print the version and exit\n"
      "  --help          this text");
}
}  // namespace

int main(int argc, char** argv) {
  std::string configPath;
  bool check = false, repair = false;
  nestbox::DeviceCommand devices;
  bool lockdown = false;
  std::string reason;
  std::string snapshotPath, restoredSnapshot, verifyPath;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      configPath = argv[++i];
    } else if (std::strcmp(argv[i], "--check") == 0) {
      check = true;
    } else if (std::strcmp(argv[i], "--repair") == 0) {
      repair = true;
    } else if (std::strcmp(argv[i], "--lockdown") == 0) {
      lockdown = true;
    } else if (std::strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
      reason = argv[++i];
    } else if (std::strcmp(argv[i], "--devices") == 0) {
      devices.list = true;
    } else if (std::strcmp(argv[i], "--report-device") == 0 && i + 1 < argc) {
      devices.report = argv[++i];
    } else if (std::strcmp(argv[i], "--what") == 0 && i + 1 < argc) {
      devices.what = argv[++i];
    } else if (std::strcmp(argv[i], "--note") == 0 && i + 1 < argc) {
      devices.note = argv[++i];
    } else if (std::strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc) {
      snapshotPath = argv[++i];
    } else if (std::strcmp(argv[i], "--verify-database") == 0 && i + 1 < argc) {
      verifyPath = argv[++i];
    } else if (std::strcmp(argv[i], "--restored") == 0 && i + 1 < argc) {
      restoredSnapshot = argv[++i];
    } else if (std::strcmp(argv[i], "--routes") == 0) {
      return nestbox::printRoutes();
    } else if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("nestboxd %s (%s)\n", NESTBOX_VERSION, nestbox::build::commit());
      return 0;
    } else if (std::strcmp(argv[i], "--help") == 0) {
      usage();
      return 0;
    } else {
      std::fprintf(stderr, "nestboxd: unknown argument '%s'\n", argv[i]);
      usage();
      return 2;
    }
  }

  // Data files are for the daemon (and its group) only; files that must be stricter or
  // wider set their own mode explicitly.
  umask(027);
  // A client that disconnects mid-reply must not kill the process (Pistache writes to it).
  signal(SIGPIPE, SIG_IGN);
  // Stop signals are taken synchronously by the main thread; block them before any thread
  // starts so the server's threads inherit the mask.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  nestbox::Config config;
  try {
    if (!configPath.empty()) config = nestbox::loadConfigFile(configPath);
  } catch (const nestbox::ConfigError& e) {
    std::fprintf(stderr, "nestboxd: %s\n", e.what());
    return 2;
  }
  nestbox::logEvent(nestbox::Event::ConfigLoaded, {{"file", configPath.empty() ? "(defaults)" : configPath}});
  if (repair && !check) {
    std::fprintf(stderr, "nestboxd: --repair goes with --check\n");
    return 2;
  }
  if (check) return nestbox::runCheck(config, repair);
  if (lockdown) {
    if (reason.empty()) {
      std::fprintf(stderr, "nestboxd: --lockdown needs --reason TEXT: say why, for the incident record\n");
      return 2;
    }
    return nestbox::runLockdownCommand(config, reason);
  }
  if (devices.list || !devices.report.empty()) return nestbox::runDeviceCommand(config, devices);
  if (!snapshotPath.empty()) return nestbox::runSnapshotCommand(config, snapshotPath);
  if (!restoredSnapshot.empty()) return nestbox::runRestoredCommand(config, restoredSnapshot);
  if (!verifyPath.empty()) return nestbox::runVerifyDatabaseCommand(verifyPath);
  nestbox::system::SystemdNotifier notifier;
  return nestbox::runDaemon(config, notifier);
}
