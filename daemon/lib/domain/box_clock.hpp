#pragma once
// The box's clock before it can be trusted (issue 17). Until the clock has synced with a time
// server, the manager confirms or corrects the date and time on the setup page, so a network
// that blocks NTP still gets a box that dates its records rightly. Nothing is accepted before
// `floor` (the image's build time: the box cannot be older than its own software).

#include <cstdint>
#include <optional>

#include "domain/context.hpp"
#include "domain/principal.hpp"
#include "system/clock_sync.hpp"

namespace nestbox::domain {

struct ClockView {
  int64_t now = 0;
  bool synchronised = false;
  int64_t floor = 0;
};

class BoxClock {
 public:
  // A confirmed time this far from the box's own is taken as "the box is right".
  static constexpr int64_t kTolerance = 120;
  // The latest time accepted: this long after the floor (a box is not kept for longer).
  static constexpr int64_t kHorizon = 20LL * 366 * 24 * 3600;

  BoxClock(Context& ctx, system::ClockSync& sync, int64_t floor) : ctx_(ctx), sync_(sync), floor_(floor) {}

  ClockView view() const { return {ctx_.clock.now(), sync_.synchronised(), floor_}; }

  // At setup. Synchronised: nothing to do (`confirmedNow` is ignored). Otherwise the manager
  // must have confirmed a time (DomainError clock_unconfirmed, field "clock"); one before the
  // floor or past the horizon is refused (invalid); one more than kTolerance from the box's
  // clock is asked for (ClockSync::requestTime) and audited as NBX_CLOCK_SET_REQUESTED.
  void confirmAtSetup(std::optional<int64_t> confirmedNow, const RequestOrigin& origin);

 private:
  Context& ctx_;
  system::ClockSync& sync_;
  int64_t floor_;
};

}  // namespace nestbox::domain
