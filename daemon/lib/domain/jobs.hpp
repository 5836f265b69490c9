#pragma once
// Periodic work (issue 14): one runner for everything the box does on a schedule. Today it
// removes ended sessions, used or expired device challenges and expired one-time codes;
// later issues (backups, leavers, retention) add their jobs here rather than writing
// another loop. The daemon calls tick() from its one-second loop; tests move the clock seam
// instead of sleeping. Each job's last run is kept in the database (box_state), so a
// restart neither runs a job early nor forgets one that fell due while the box was off.
// Every run is audited with what it did (NBX_JOB_RAN), a failure too (NBX_JOB_FAILED), and
// a job that failed is tried again at its next interval.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/json_input.hpp"
#include "domain/context.hpp"

namespace nestbox::domain {

class JobRunner {
 public:
  explicit JobRunner(Context& ctx) : ctx_(ctx) {}

  // `work` returns a summary for the audit log (e.g. {"removed": 3}). Ids are stable: they
  // key the stored last run. A new job first runs at the first tick.
  void add(const std::string& id, int64_t everySeconds, std::function<Json()> work);
  // Runs every job due at the clock's time, in the order they were added; returns how many ran.
  int tick();
  // When a job last ran (Unix time), if ever.
  std::optional<int64_t> lastRun(const std::string& id);

 private:
  struct Job {
    std::string id;
    int64_t everySeconds;
    std::function<Json()> work;
    std::optional<int64_t> lastRun;
    bool loaded = false;
  };
  Context& ctx_;
  std::vector<Job> jobs_;
};

// The housekeeping jobs every box runs.
void addHousekeepingJobs(JobRunner& runner, Context& ctx);

}  // namespace nestbox::domain
