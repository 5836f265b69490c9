#include "domain/outside_access.hpp"

namespace nestbox::domain {

OutsideVerdict outsideVerdict(const OutsideRequest& r) {
  if (r.lockedDown) return OutsideVerdict::lockedDown;
  if (r.reach == OutsideReach::closed) return OutsideVerdict::closed;
  if (!r.role) return OutsideVerdict::allowed;  // the route decides once it knows who (sign-in)
  switch (*r.role) {
    case Role::parent: return OutsideVerdict::allowed;
    case Role::staff: return OutsideVerdict::staff;
    case Role::manager:
      if (!r.managersMayRead) return OutsideVerdict::managersOff;
      return r.reach == OutsideReach::managersRead ? OutsideVerdict::allowed : OutsideVerdict::managersNotHere;
  }
  return OutsideVerdict::closed;
}

std::optional<OutsideRefusal> outsideRefusal(OutsideVerdict verdict) {
  switch (verdict) {
    case OutsideVerdict::allowed: return std::nullopt;
    case OutsideVerdict::lockedDown:
      return OutsideRefusal{503, "lockdown_outside",
                            "The setting has locked Nestbox down, so it cannot be reached from outside. "
                            "It opens again when a manager lifts the lockdown."};
    case OutsideVerdict::closed:
      return OutsideRefusal{403, "outside_closed",
                            "This is only available on the setting's own network, not from outside."};
    case OutsideVerdict::staff:
      return OutsideRefusal{403, "outside_staff",
                            "Staff use Nestbox on the setting's tablets and network, not from outside."};
    case OutsideVerdict::managersOff:
      return OutsideRefusal{403, "outside_managers_off",
                            "Managers can sign in from outside only when the setting allows it "
                            "(Settings, on the setting's network)."};
    case OutsideVerdict::managersNotHere:
      return OutsideRefusal{403, "outside_manager_read_only",
                            "From outside, managers can only read the journal and the to-do list. "
                            "Do this on the setting's network."};
  }
  return std::nullopt;
}

const char* outsideReachName(OutsideReach reach) {
  switch (reach) {
    case OutsideReach::closed: return "closed";
    case OutsideReach::families: return "families";
    case OutsideReach::managersRead: return "managers_read";
  }
  return "closed";
}

}  // namespace nestbox::domain
