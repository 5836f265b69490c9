#include "core/log.hpp"

#include <atomic>
#include <cstdio>

namespace nestbox {
namespace {
std::atomic<LogSink*> gSink{nullptr};
std::atomic<Severity> gMinimum{Severity::info};
std::mutex gWriteMutex;

bool needsQuoting(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

void appendValue(std::string& out, std::string_view v) {
  if (!needsQuoting(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out.append("\\x");  // control characters would let a client forge log lines
      constexpr char hex[] = "0123456789abcdef";
      out.push_back(hex[(static_cast<unsigned char>(c) >> 4) & 0xf]);
      out.push_back(hex[static_cast<unsigned char>(c) & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}
}  // namespace

void Logger::setSink(LogSink* sink) { gSink.store(sink); }
void Logger::setMinimumSeverity(Severity severity) { gMinimum.store(severity); }

std::string Logger::format(Event event, const LogFields& fields) {
  const EventInfo& info = eventInfo(event);
  std::string line;
  line.reserve(96);
  line.append(severityName(info.severity));
  line.push_back(' ');
  line.append(info.id);
  for (const auto& [key, value] : fields) {
    line.push_back(' ');
    line.append(key);
    line.push_back('=');
    appendValue(line, value);
  }
  return line;
}

void Logger::log(Event event, const LogFields& fields) {
  const EventInfo& info = eventInfo(event);
  if (static_cast<int>(info.severity) < static_cast<int>(gMinimum.load())) return;
  std::string line = format(event, fields);
  if (LogSink* sink = gSink.load()) {
    sink->write(line);
    return;
  }
  line.push_back('\n');
  std::lock_guard lock(gWriteMutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace nestbox
