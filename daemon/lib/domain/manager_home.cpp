#include "domain/manager_home.hpp"

namespace nestbox::domain {

ManagerSummary ManagerHome::summary(const Principal& p) {
  children_.requireManager(p);
  const int64_t now = ctx_.clock.now();
  ManagerSummary s;
  s.counts = journal_.homeCounts(now, settings_.today(now), settings_.today(now - int64_t{kNotObservedDays} * 86400),
                                 now - int64_t{kNotSeenDays} * 86400);
  s.invitationsOpen = invitations_.openCount();
  s.linksWaiting = invitations_.waitingCount();
  s.lockdown = lockdown_.engaged();
  s.storage = media_.space(p);
  s.backups = backups_.current();
  return s;
}

}  // namespace nestbox::domain
