#pragma once
// Everything a domain service needs from the outside world, passed in (never global), so
// unit tests hand in a fake clock, seeded randomness and an in-memory store.

#include "domain/audit.hpp"
#include "domain/throttle.hpp"
#include "security/password.hpp"
#include "storage/store.hpp"
#include "system/clock.hpp"
#include "system/random.hpp"

namespace nestbox::domain {

struct Context {
  storage::Store& store;
  const system::Clock& clock;
  system::Random& random;
  const security::PasswordHasher& hasher;
  AuditLog& audit;
  Throttle& throttle;
};

// Random, unguessable identifiers for every record (128 bits, hex).
inline std::string newId(system::Random& random) { return random.hex(16); }

}  // namespace nestbox::domain
