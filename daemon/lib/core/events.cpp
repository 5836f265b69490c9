#include "core/events.hpp"

#include <array>

namespace nestbox {
namespace {
constexpr std::array kEvents = {
#define NESTBOX_EVENT_INFO(name, id, sev, audited, text) EventInfo{id, Severity::sev, audited, text},
    NESTBOX_EVENTS(NESTBOX_EVENT_INFO)
#undef NESTBOX_EVENT_INFO
};
}  // namespace

const EventInfo& eventInfo(Event event) { return kEvents.at(static_cast<std::size_t>(event)); }

const std::vector<EventInfo>& allEvents() {
  static const std::vector<EventInfo> all(kEvents.begin(), kEvents.end());
  return all;
}

std::optional<Event> eventFromId(std::string_view id) {
  for (std::size_t i = 0; i < kEvents.size(); ++i) {
    if (kEvents[i].id == id) return static_cast<Event>(i);
  }
  return std::nullopt;
}

std::string_view severityName(Severity severity) {
  switch (severity) {
    case Severity::debug: return "DEBUG";
    case Severity::info: return "INFO";
    case Severity::warning: return "WARN";
    case Severity::error: return "ERROR";
  }
  return "?";
}

}  // namespace nestbox
