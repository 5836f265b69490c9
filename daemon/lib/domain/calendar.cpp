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

std::optional<std::pair<int, int>> parseMonthDay(const std::string& text) {
  if (text.size() != 5 || text[2] != '-') return std::nullopt;
  for (const std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int month = (text[0] - '0') * 10 + (text[1] - '0');
  const int day = (text[3] - '0') * 10 + (text[4] - '0');
  // A leap year, so that 02-29 is a day of the year.
  if (!date::year_month_day{date::year{2024}, date::month{static_cast<unsigned>(month)}, date::day{static_cast<unsigned>(day)}}.ok()) {
    return std::nullopt;
  }
  return std::pair{month, day};
}

std::string Calendar::lastOccurrence(const std::string& today, std::pair<int, int> monthDay) {
  date::year_month_day now{};
  std::istringstream in(today);
  in >> date::parse("%F", now);
  if (in.fail() || !now.ok()) throw std::invalid_argument("not a date: " + today);
  const auto on = [&](date::year y) {
    date::year_month_day d{y, date::month{static_cast<unsigned>(monthDay.first)}, date::day{static_cast<unsigned>(monthDay.second)}};
    if (!d.ok()) d = {y, d.month(), date::day{28}};  // 29 February in a common year
    return d;
  };
  auto d = on(now.year());
  if (date::sys_days(d) > date::sys_days(now)) d = on(now.year() - date::years{1});
  return date::format("%F", date::sys_days(d));
}

namespace {
date::sys_days parseDay(const std::string& text) {
  date::year_month_day ymd{};
  std::istringstream in(text);
  in >> date::parse("%F", ymd);
  if (in.fail() || !ymd.ok()) throw std::invalid_argument("not a date: " + text);
  return date::sys_days(ymd);
}
}  // namespace

std::string Calendar::addDays(const std::string& text, int days) {
  return date::format("%F", parseDay(text) + date::days(days));
}

int Calendar::daysBetween(const std::string& from, const std::string& to) {
  return static_cast<int>((parseDay(to) - parseDay(from)).count());
}

}  // namespace nestbox::domain
