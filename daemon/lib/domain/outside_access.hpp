#pragma once
// What may be reached from outside the setting's network (issue 31; policies 000, 002, 004:
// families read the journal "at a time that suits their family"). Pure, like media_consent:
// the caller says where the request arrived and who is asking, so the rule is tested on its
// own (tests/unit/outside_access_test.cpp) and applied by the dispatcher on every request.
//
// "Outside" is decided by where a request arrived — the relay's tunnel or the public name's
// listener (nginx marks it; http/api.cpp believes the mark only from loopback) — never
// guessed from a source address.
//
// The rules:
// - A lockdown closes the outside entirely (policy 001): nothing answers, not even the
//   notice, from the first request after the engage call returns.
// - Each route says how far it reaches (RouteRules::outside); closed is the default, so a
//   new route is LAN-only until someone decides otherwise.
// - Families (parents): every route marked families or managersRead.
// - Staff: nothing (they record on the setting's tablets, on its own network).
// - Managers: only routes marked managersRead (reading the journal and the to-do home), and
//   only while the setting allows it; accounts, consent, devices, settings, backups, erasure
//   and lockdown never work from outside.
// - No setup, CA download, enrolment or child view from outside: those routes stay closed.

#include <optional>

#include "domain/principal.hpp"

namespace nestbox::domain {

enum class OutsideReach {
  closed,        // the setting's own network only (the default)
  families,      // parents from home too
  managersRead,  // parents, and managers reading when the setting allows it
};

enum class OutsideVerdict {
  allowed,
  lockedDown,     // the box is locked down: the outside is closed
  closed,         // this route is for the setting's own network
  staff,          // staff never work from outside
  managersOff,    // the setting does not let managers in from outside
  managersNotHere,  // managers may only read the journal and the to-do home from outside
};

struct OutsideRequest {
  OutsideReach reach = OutsideReach::closed;
  // Who is asking; none before sign-in (an open route, or the sign-in itself).
  std::optional<Role> role;
  bool managersMayRead = false;  // the setting's outside_manager_read
  bool lockedDown = false;
};

OutsideVerdict outsideVerdict(const OutsideRequest& request);

// The refusal's code and message for people (nullptr for allowed).
struct OutsideRefusal {
  int status;
  const char* code;
  const char* message;
};
std::optional<OutsideRefusal> outsideRefusal(OutsideVerdict verdict);

const char* outsideReachName(OutsideReach reach);

}  // namespace nestbox::domain
