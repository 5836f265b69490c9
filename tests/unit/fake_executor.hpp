#pragma once
// An executor for domain tests: jobs wait until the test runs them, so a test can look at
// (or change) the world between asking for background work and its doing.

#include <deque>
#include <functional>

#include "system/executor.hpp"

namespace nestbox::testing {

class QueuedExecutor final : public system::Executor {
 public:
  void post(std::function<void()> job) override { jobs_.push_back(std::move(job)); }
  // Runs every queued job (and any they queue), in order; returns how many ran.
  int runAll() {
    int n = 0;
    while (!jobs_.empty()) {
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      job();
      ++n;
    }
    return n;
  }
  std::size_t queued() const { return jobs_.size(); }

 private:
  std::deque<std::function<void()>> jobs_;
};

}  // namespace nestbox::testing
