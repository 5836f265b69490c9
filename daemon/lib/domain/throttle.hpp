#pragma once
// Limits on failed sign-ins (ASVS 2.2.1). Failures are counted per key ("account:<name>",
// "address:<ip>", "setup:<ip>") within a window; reaching the limit locks the key for a while.
// Counters live in the database so a restart does not reset them.

#include <cstdint>
#include <optional>
#include <string>

#include "storage/store.hpp"

namespace nestbox::domain {

struct ThrottlePolicy {
  int maxFailures;
  int64_t windowSeconds;
  int64_t lockSeconds;
};

inline constexpr ThrottlePolicy kAccountThrottle{5, 15 * 60, 15 * 60};
inline constexpr ThrottlePolicy kAddressThrottle{20, 15 * 60, 15 * 60};

class Throttle {
 public:
  explicit Throttle(storage::Store& store) : store_(store) {}

  // Seconds until the key may try again, if it is locked now.
  std::optional<int64_t> lockedFor(const std::string& key, int64_t now);
  // Counts one failure; returns true when this failure locked the key.
  bool recordFailure(const std::string& key, const ThrottlePolicy& policy, int64_t now);
  void clear(const std::string& key);

 private:
  storage::Store& store_;
};

}  // namespace nestbox::domain
