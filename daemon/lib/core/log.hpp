#pragma once
// Service log: one line per event, "<SEVERITY> <EVENT_ID> key=value ...", written to stderr
// (journald adds the timestamp on the appliance). Callers must never pass secrets
// (passwords, tokens, codes, cookies) as fields; the field names below are the contract.

#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/events.hpp"

namespace nestbox {

using LogFields = std::vector<std::pair<std::string, std::string>>;

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void write(std::string_view line) = 0;
};

class Logger {
 public:
  // Without a sink, lines go to stderr.
  static void setSink(LogSink* sink);
  static void setMinimumSeverity(Severity severity);
  static void log(Event event, const LogFields& fields = {});
  static std::string format(Event event, const LogFields& fields);
};

inline void logEvent(Event event, const LogFields& fields = {}) { Logger::log(event, fields); }

}  // namespace nestbox
