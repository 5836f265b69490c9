#include "domain/jobs.hpp"

#include <stdexcept>

#include "core/log.hpp"

namespace nestbox::domain {
namespace {
std::string key(const std::string& id) { return "job." + id + ".last_run"; }
const AuditActor kBox{{}, {}, "box", {}};
}  // namespace

void JobRunner::add(const std::string& id, int64_t everySeconds, std::function<Json()> work) {
  if (everySeconds <= 0) throw std::invalid_argument("job " + id + " needs an interval");
  jobs_.push_back({id, everySeconds, std::move(work), std::nullopt, false});
}

std::optional<int64_t> JobRunner::lastRun(const std::string& id) {
  const auto value = ctx_.store.boxValue(key(id));
  if (!value) return std::nullopt;
  try {
    return std::stoll(*value);
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: run again
  }
}

int JobRunner::tick() {
  int ran = 0;
  for (auto& job : jobs_) {
    if (!job.loaded) {
      job.lastRun = lastRun(job.id);
      job.loaded = true;
    }
    const int64_t now = ctx_.clock.now();
    // A clock that jumped back (a Pi without a real-time clock, before its first sync) must
    // not hold jobs off until it catches up: a last run in the future counts as due.
    if (job.lastRun && now >= *job.lastRun && now - *job.lastRun < job.everySeconds) continue;
    job.lastRun = now;  // also after a failure: tried again at the next interval, not every second
    try {
      const Json summary = job.work();
      ctx_.store.transaction([&] {
        ctx_.store.setBoxValue(key(job.id), std::to_string(now));
        ctx_.audit.record(Event::JobRan, kBox, AuditTarget{"job", job.id}, summary);
      });
    } catch (const std::exception& e) {
      logEvent(Event::JobFailed, {{"job", job.id}, {"error", e.what()}});
      try {
        ctx_.store.setBoxValue(key(job.id), std::to_string(now));
        ctx_.audit.record(Event::JobFailed, kBox, AuditTarget{"job", job.id}, {{"error", e.what()}});
      } catch (const std::exception&) {
        // The database itself is failing; the log line above is what is left.
      }
    }
    ++ran;
  }
  return ran;
}

void addHousekeepingJobs(JobRunner& runner, Context& ctx) {
  constexpr int64_t hour = 3600, day = 86400;
  // Ended sessions are kept a month (their user can see recent sign-ins meanwhile); one not
  // seen for two days has passed every idle limit (the longest is a day) and is gone too.
  runner.add("sessions.purge", hour, [&ctx] {
    const int64_t now = ctx.clock.now();
    return Json{{"removed", ctx.store.purgeSessions(now - 30 * day, now - 2 * day)}};
  });
  // One-time codes past their time: password resets and device enrolment codes.
  runner.add("codes.purge", hour, [&ctx] { return Json{{"removed", ctx.store.purgeExpiredCodes(ctx.clock.now())}}; });
}

}  // namespace nestbox::domain
