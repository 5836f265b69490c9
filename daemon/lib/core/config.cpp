#include "core/config.hpp"
#include "core/build_info.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace nestbox {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

template <typename T>
T parseNumber(const std::string& key, const std::string& value, T min, T max) {
  T out{};
  const auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc{} || ptr != end || out < min || out > max) {
    throw ConfigError(key + " must be a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", not '" + value + "'");
  }
  return out;
}

// "2026-12-01T17:00:00Z" (UTC, as image/build writes it) or whole Unix seconds.
int64_t parseUtcTime(const std::string& key, const std::string& value) {
  if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos) {
    return parseNumber<int64_t>(key, value, 0, 253402300799);
  }
  std::tm tm{};
  std::istringstream in(value);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail() || in.get() != 'Z' || in.peek() != std::char_traits<char>::eof()) {
    throw ConfigError(key + " must be a UTC time like 2026-12-01T17:00:00Z, not '" + value + "'");
  }
  return static_cast<int64_t>(timegm(&tm));
}

using Setter = std::function<void(Config&, const std::string&)>;

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> table = {
      {"data_dir", [](Config& c, const std::string& v) { c.dataDir = v; }},
      {"listen_address",
       [](Config& c, const std::string& v) {
         if (v != "127.0.0.1" && v != "::1" && v.rfind("127.", 0) != 0) {
           throw ConfigError("listen_address must be a loopback address: nginx terminates TLS");
         }
         c.listenAddress = v;
       }},
      {"listen_port",
       [](Config& c, const std::string& v) { c.listenPort = parseNumber<uint16_t>("listen_port", v, 1, 65535); }},
      {"public_https_port",
       [](Config& c, const std::string& v) {
         c.publicHttpsPort = parseNumber<uint16_t>("public_https_port", v, 1, 65535);
       }},
      {"threads", [](Config& c, const std::string& v) { c.threads = parseNumber<int>("threads", v, 1, 64); }},
      {"upload_port",
       [](Config& c, const std::string& v) { c.uploadPort = parseNumber<uint16_t>("upload_port", v, 1, 65535); }},
      {"media_workers",
       [](Config& c, const std::string& v) { c.mediaWorkers = parseNumber<int>("media_workers", v, 1, 16); }},
      {"hostname", [](Config& c, const std::string& v) { c.hostname = v; }},
      {"button_gpio", [](Config& c, const std::string& v) { c.buttonGpio = v; }},
      {"led_gpio", [](Config& c, const std::string& v) { c.ledGpio = v; }},
      {"camera",
       [](Config& c, const std::string& v) {
         if (v != "libcamera" && v != "off" && (v.rfind("files:", 0) != 0 || v.size() == 6)) {
           throw ConfigError("camera must be libcamera, off or files:DIRECTORY");
         }
         c.camera = v;
       }},
      {"dbus",
       [](Config& c, const std::string& v) {
         if (v != "system" && v != "off") throw ConfigError("dbus must be system or off");
         c.dbus = v;
       }},
      {"mdns",
       [](Config& c, const std::string& v) {
         if (v != "avahi" && v != "off") throw ConfigError("mdns must be avahi or off");
         c.mdns = v;
       }},
      {"setup_code_file", [](Config& c, const std::string& v) { c.setupCodeFile = v; }},
      {"password_hash_ops",
       [](Config& c, const std::string& v) {
         c.passwordHashOps = parseNumber<uint64_t>("password_hash_ops", v, 1, 20);
       }},
      {"password_hash_mem_kib",
       [](Config& c, const std::string& v) {
         c.passwordHashMemKiB = parseNumber<uint64_t>("password_hash_mem_kib", v, 8, 1024 * 1024);
       }},
      {"max_request_bytes",
       [](Config& c, const std::string& v) {
         c.maxRequestBytes = parseNumber<std::size_t>("max_request_bytes", v, 4096, 16 * 1024 * 1024);
       }},
      {"shutdown_grace_ms",
       [](Config& c, const std::string& v) {
         c.shutdownGraceMs = parseNumber<int>("shutdown_grace_ms", v, 0, 600000);
       }},
      {"log_level",
       [](Config& c, const std::string& v) {
         if (v != "debug" && v != "info" && v != "warning" && v != "error") {
           throw ConfigError("log_level must be debug, info, warning or error");
         }
         c.logLevel = v;
       }},
      {"test_clock_offset_file", [](Config& c, const std::string& v) { c.testClockOffsetFile = v; }},
      {"clock_floor", [](Config& c, const std::string& v) { c.clockFloor = parseUtcTime("clock_floor", v); }},
      {"clock_synced_file", [](Config& c, const std::string& v) { c.clockSyncedFile = v; }},
      {"clock_request_file", [](Config& c, const std::string& v) { c.clockRequestFile = v; }},
      {"backup_spool", [](Config& c, const std::string& v) { c.backupSpool = v; }},
  };
  return table;
}

}  // namespace

std::string Config::effectiveSetupCodeFile() const {
  return setupCodeFile.empty() ? dataDir + "/setup-code.txt" : setupCodeFile;
}

int64_t Config::buildTime() { return build::time(); }

std::string Config::effectiveClockRequestFile() const {
  return clockRequestFile.empty() ? dataDir + "/clock-request" : clockRequestFile;
}

std::string Config::effectiveBackupSpool() const {
  if (!backupSpool.empty()) return backupSpool;
  const char* runtime = std::getenv("RUNTIME_DIRECTORY");  // systemd: the first RuntimeDirectory=
  if (runtime && *runtime == '/') {
    std::string first(runtime);
    return first.substr(0, first.find(':')) + "/backup";
  }
  return dataDir + "/backup-spool";
}

Config parseConfig(const std::string& text, Config base) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw ConfigError("line " + std::to_string(number) + ": expected 'key = value'");
    }
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    const auto it = setters().find(key);
    if (it == setters().end()) {
      throw ConfigError("line " + std::to_string(number) + ": unknown key '" + key + "'");
    }
    try {
      it->second(base, value);
    } catch (const ConfigError& e) {
      throw ConfigError("line " + std::to_string(number) + ": " + e.what());
    }
  }
  return base;
}

Config loadConfigFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw ConfigError("cannot read config file " + path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return parseConfig(buffer.str());
}

}  // namespace nestbox
