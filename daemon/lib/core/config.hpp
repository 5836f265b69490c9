#pragma once
// Daemon configuration: embedded defaults, optionally overridden by a file of
// "key = value" lines (# starts a comment). Unknown keys and bad values are errors, so a
// typo never silently falls back to a default.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace nestbox {

struct Config {
  std::string dataDir = "/var/lib/nestbox";
  std::string listenAddress = "127.0.0.1";  // loopback only: nginx is the only client
  uint16_t listenPort = 8081;
  uint16_t publicHttpsPort = 443;  // where users reach the box; used in names and notices
  int threads = 4;
  // The streaming listener for upload bodies (tus PATCH), also loopback only: Pistache
  // holds whole bodies in memory, this one writes them to disk as they arrive.
  uint16_t uploadPort = 8082;
  int mediaWorkers = 2;  // threads making stored originals and derivatives
  std::string hostname;         // empty: the system host name
  std::string setupCodeFile;    // empty: <dataDir>/setup-code.txt
  uint64_t passwordHashOps = 3;           // argon2id passes
  uint64_t passwordHashMemKiB = 64 * 1024;  // argon2id memory
  std::size_t maxRequestBytes = 128 * 1024;  // headers + body; nginx refuses more before this
  int shutdownGraceMs = 10000;
  std::string logLevel = "info";
  // "system": serve org.nestbox.Appliance1 on the system bus (DBUS_SYSTEM_BUS_ADDRESS if set;
  // without a bus the daemon runs on and says so); "off": do not.
  std::string dbus = "system";
  // "avahi": announce the box by mDNS through avahi-daemon (issue 8; without it the box runs
  // on, reachable by address, and says so); "off": do not.
  std::string mdns = "avahi";
  // The box's lockdown button (held 3 s, wired to ground: active-low with pull-up) and status
  // LED, as "CHIP:OFFSET" (e.g. gpiochip0:17) or a line name (GPIO17); empty: not wired.
  std::string buttonGpio;
  std::string ledGpio;
  // The box camera (issue 18): "libcamera" (USB/UVC cameras; the service needs the camera
  // drop-in, `nestboxctl camera enable`), "off", or "files:DIR" (a test camera showing the
  // JPEG files in DIR, for the demo and the tests).
  std::string camera = "libcamera";
  // Testing only: a file holding a number of seconds added to the system clock, so
  // integration tests can move time forward without sleeping. Logged loudly when set.
  std::string testClockOffsetFile;
  // The earliest time the box accepts as now (Unix seconds): the image's build time, written
  // by image/build as clock_floor = 2026-12-01T17:00:00Z. No certificate is dated before it.
  // Default: the time of the commit this nestboxd was built from (core/build_info.hpp).
  int64_t clockFloor = buildTime();
  // A file that exists once the system clock has synced (image: systemd-timesyncd's
  // /run/systemd/timesync/synchronized); until then setup asks the manager to confirm the
  // time. Empty (default): the clock is the host system's business, taken as synchronised.
  std::string clockSyncedFile;
  // Where a clock correction made at setup is written for the root unit that applies it.
  std::string clockRequestFile;  // empty: <dataDir>/clock-request
  // Where requests for the root-run backup agent go (issue 19). Empty: backup/ in systemd's
  // RuntimeDirectory= ($RUNTIME_DIRECTORY, /run/nestbox: never on the card, for a recovery
  // key passes through), or <dataDir>/backup-spool when not run by systemd.
  std::string backupSpool;

  std::string effectiveSetupCodeFile() const;
  std::string effectiveClockRequestFile() const;
  std::string effectiveBackupSpool() const;
  // When this nestboxd was configured (CMake, honouring SOURCE_DATE_EPOCH), Unix seconds.
  static int64_t buildTime();
};

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses config text on top of the defaults; throws ConfigError naming the line.
Config parseConfig(const std::string& text, Config base = {});
Config loadConfigFile(const std::string& path);

}  // namespace nestbox
