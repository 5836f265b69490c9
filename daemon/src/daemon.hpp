#pragma once
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

}  // namespace nestbox
