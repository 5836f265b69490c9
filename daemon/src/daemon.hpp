#pragma once

#include <string>
// Wires the layers together for one run of nestboxd: open storage, make sure the TLS
// material exists, prepare first-start setup, serve, and stop cleanly on SIGTERM/SIGINT.

#include "core/config.hpp"
#include "system/service_notifier.hpp"

namespace nestbox {

// Returns the process exit code. Expects SIGTERM, SIGINT and SIGHUP to be blocked in the
// calling thread (main does this before any thread exists).
int runDaemon(const Config& config, system::ServiceNotifier& notifier);

// `nestboxd --check [--repair]`: compares the database with the media files and prints what
// it found. Exit 0 when consistent (after repair, when everything found was repaired).
int runCheck(const Config& config, bool repair);

// The box's command line for devices, usable while the daemon runs (policy 004: a lost
// device is reported at once, also by a manager at the box): list them, or report one
// lost, stolen or damaged, which revokes it exactly as the devices screen does.
struct DeviceCommand {
  bool list = false;
  std::string report;  // device id or exact name
  std::string what;    // lost, stolen, damaged
  std::string note;
};
int runDeviceCommand(const Config& config, const DeviceCommand& command);

// Fault lockdown from the box's command line (policy 001): engages at once, also while the
// daemon runs (every session ends; the daemon answers 503 from its next request). Lifting
// is a manager's, in the web app, with password and PIN.
int runLockdownCommand(const Config& config, const std::string& reason);

// Backups (issue 19), for nestbox-backup. `--snapshot FILE`: a consistent, checked copy of
// the database while the daemon runs (storage/snapshot.hpp), described as JSON on stdout.
// `--restored SNAPSHOT`: after a restore (daemon stopped), every session ends and the restore
// is audited.
int runSnapshotCommand(const Config& config, const std::string& path);
int runRestoredCommand(const Config& config, const std::string& snapshot);
// `--verify-database FILE`: a copy's integrity (a test restore's database). Exit 0 when sound.
int runVerifyDatabaseCommand(const std::string& path);

// `nestboxd --routes`: every API route with its declared audience and flags, as JSON (for
// the access-matrix coverage test and IT support). Needs no configuration or data.
int printRoutes();

}  // namespace nestbox
