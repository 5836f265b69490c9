#pragma once
// The setting's calendar: every day, week and term the box reasons about is the setting's
// time zone's (issue 13), not UTC's and not the server's. A nursery in London closes its day
// at midnight London time, in summer too. Backed by the system's tz database (tzdata) through
// Howard Hinnant's date library (Debian's libhowardhinnant-date-dev).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace date {
class time_zone;
}

namespace nestbox::domain {

constexpr const char* kDefaultTimeZone = "Europe/London";

class Calendar {
 public:
  // Throws std::invalid_argument for a zone the tz database does not know.
  explicit Calendar(const std::string& zone);
  // True for an IANA zone name the tz database knows ("Europe/London", "Asia/Tehran").
  static bool knownZone(const std::string& zone);

  const std::string& zone() const { return name_; }
  // The local date, "YYYY-MM-DD", at Unix time `t`.
  std::string dateOf(int64_t t) const;
  // The first instant of local date `date` ("YYYY-MM-DD", valid): local midnight, or the
  // first existing instant after it when a clock change skips midnight.
  int64_t startOfDay(const std::string& date) const;
  // The instant of local time `minuteOfDay` (0..1439) on local date `date`. A time a clock
  // change skips gives the first instant after it; a time it repeats, the first of the two.
  int64_t instantOf(const std::string& date, int minuteOfDay) const;
  // The date `days` after (or before) `date`, both "YYYY-MM-DD".
  static std::string addDays(const std::string& date, int days);
  // Days from `from` to `to` (negative when `to` is earlier); both "YYYY-MM-DD".
  static int daysBetween(const std::string& from, const std::string& to);
  // ISO weekday of the local date at `t`: 1 Monday .. 7 Sunday.
  int weekdayOf(int64_t t) const;

  // The latest date at or before `today` ("YYYY-MM-DD") that falls on `monthDay` (see
  // parseMonthDay); 29 February is 28 February in other years.
  static std::string lastOccurrence(const std::string& today, std::pair<int, int> monthDay);

 private:
  std::string name_;
  const date::time_zone* zone_;
};

// A day of the year, "MM-DD" ("07-15"; "02-29" allowed), as month and day; nothing otherwise.
std::optional<std::pair<int, int>> parseMonthDay(const std::string& text);

}  // namespace nestbox::domain
