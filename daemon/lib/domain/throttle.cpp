#include "domain/throttle.hpp"

namespace nestbox::domain {

std::optional<int64_t> Throttle::lockedFor(const std::string& key, int64_t now) {
  const auto record = store_.throttle(key);
  if (record && record->lockedUntil > now) return record->lockedUntil - now;
  return std::nullopt;
}

bool Throttle::recordFailure(const std::string& key, const ThrottlePolicy& policy, int64_t now) {
  bool locked = false;
  store_.transaction([&] {
    storage::ThrottleRecord r = store_.throttle(key).value_or(storage::ThrottleRecord{key, 0, now, 0});
    if (now - r.windowStart >= policy.windowSeconds || (r.lockedUntil != 0 && r.lockedUntil <= now)) {
      r = storage::ThrottleRecord{key, 0, now, 0};  // window over, or the lock served: start afresh
    }
    ++r.failures;
    if (r.failures >= policy.maxFailures && r.lockedUntil <= now) {
      r.lockedUntil = now + policy.lockSeconds;
      locked = true;
    }
    store_.putThrottle(r);
  });
  return locked;
}

void Throttle::clear(const std::string& key) { store_.clearThrottle(key); }

}  // namespace nestbox::domain
