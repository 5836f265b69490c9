#include "domain/calendar.hpp"

#include <date/tz.h>

#include <chrono>
#include <stdexcept>

namespace nestbox::domain {
namespace {
using Seconds = std::chrono::sys_time<std::chrono::seconds>;

const date::time_zone* locate(const std::string& zone) {
  // Names only: no paths or relative parts reach the tz database.
  if (zone.empty() || zone.size() > 64 || zone.find("..") != std::string::npos || zone.front() == '/') return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}
}  // namespace

bool Calendar::knownZone(const std::string& zone) { return locate(zone) != nullptr; }

Calendar::Calendar(const std::string& zone) : name_(zone), zone_(locate(zone)) {
  if (!zone_) throw std::invalid_argument("unknown time zone: " + zone);
}

std::string Calendar::dateOf(int64_t t) const {
  const auto local = zone_->to_local(Seconds(std::chrono::seconds(t)));
  return date::format("%F", date::floor<date::days>(local));
}

int Calendar::weekdayOf(int64_t t) const {
  const auto local = zone_->to_local(Seconds(std::chrono::seconds(t)));
  return static_cast<int>(date::weekday(date::floor<date::days>(local)).iso_encoding());
}

int64_t Calendar::startOfDay(const std::string& text) const { return instantOf(text, 0); }

int64_t Calendar::instantOf(const std::string& text, int minuteOfDay) const {
  date::year_month_day ymd{};
  std::istringstream in(text);
  in >> date::parse("%F", ymd);
  if (in.fail() || !ymd.ok()) throw std::invalid_argument("not a date: " + text);
  if (minuteOfDay < 0 || minuteOfDay >= 24 * 60) throw std::invalid_argument("not a time of day");
  const date::local_seconds wanted{date::local_days(ymd) + std::chrono::minutes(minuteOfDay)};
  const auto info = zone_->get_info(wanted);
  Seconds at;
  switch (info.result) {
    case date::local_info::unique: at = Seconds(wanted.time_since_epoch() - info.first.offset); break;
    case date::local_info::ambiguous: at = Seconds(wanted.time_since_epoch() - info.first.offset); break;
    case date::local_info::nonexistent: at = info.second.begin; break;  // skipped by a clock change: the first instant after
  }
  return at.time_since_epoch().count();
}

std::string Calendar::addDays(const std::string& text, int days) {
  date::year_month_day ymd{};
  std::istringstream in(text);
  in >> date::parse("%F", ymd);
  if (in.fail() || !ymd.ok()) throw std::invalid_argument("not a date: " + text);
  return date::format("%F", date::sys_days(ymd) + date::days(days));
}

}  // namespace nestbox::domain
