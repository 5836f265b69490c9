#include "domain/box_clock.hpp"

#include <ctime>
#include <string>

#include "domain/errors.hpp"
#include "system/clock.hpp"

namespace nestbox::domain {
namespace {
// "1 December 2026" (UTC; a day either way does not matter for what it explains).
std::string dayInWords(int64_t t) {
  const auto time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char out[40];
  std::strftime(out, sizeof out, "%e %B %Y", &tm);
  std::string text(out);
  return text.substr(text.find_first_not_of(' '));
}
}  // namespace

void BoxClock::confirmAtSetup(std::optional<int64_t> confirmedNow, const RequestOrigin& origin) {
  if (sync_.synchronised()) return;
  if (!confirmedNow) {
    throw DomainError(ErrorKind::invalid, "clock_unconfirmed",
                      "The box has not been able to check its clock over the internet. Check the date and time "
                      "shown and confirm them, or correct them.",
                      "clock");
  }
  if (*confirmedNow < floor_ || *confirmedNow > floor_ + kHorizon) {
    throw DomainError(ErrorKind::invalid, "invalid",
                      "That date cannot be right: this box’s software was made on " + dayInWords(floor_) +
                          ". Enter today’s date and time.",
                      "clock");
  }
  const int64_t now = ctx_.clock.now();
  const int64_t difference = *confirmedNow - now;
  if (difference > kTolerance || difference < -kTolerance) {
    sync_.requestTime(*confirmedNow);
    ctx_.audit.record(Event::ClockSetRequested, AuditActor::anonymous(origin), std::nullopt,
                      {{"from", system::formatTimestamp(now)}, {"to", system::formatTimestamp(*confirmedNow)}});
  }
}

}  // namespace nestbox::domain
