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
  s.remote = remote_.view();
  const Calendar calendar = settings_.calendar();
  const std::string today = calendar.dateOf(now);
  const std::string eventId(eventInfo(Event::SignInOutside).id);
  for (int back = kOutsideDays - 1; back >= 0; --back) {
    const std::string day = Calendar::addDays(today, -back);
    const int64_t from = calendar.startOfDay(day);
    const int64_t to = calendar.startOfDay(Calendar::addDays(day, 1));
    s.outsideSignIns.emplace_back(day, ctx_.store.countAudit(eventId, from, to));
  }
  return s;
}

}  // namespace nestbox::domain
