#pragma once
// Work off the request path. Production uses a small fixed pool of threads (bounded: a Pi
// has four cores and the HTTP server needs some); tests use the inline executor, which runs
// each job at once on the caller's thread so results are deterministic.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nestbox::system {

class Executor {
 public:
  virtual ~Executor() = default;
  // Queues `job`; jobs must catch their own exceptions.
  virtual void post(std::function<void()> job) = 0;
};

class InlineExecutor final : public Executor {
 public:
  void post(std::function<void()> job) override { job(); }
};

class ThreadPool final : public Executor {
 public:
  explicit ThreadPool(int threads);
  // Finishes the job in hand on each thread, drops the queued rest (they are recovered from
  // durable state at the next start), and joins.
  ~ThreadPool() override;
  void post(std::function<void()> job) override;
  // Blocks until the queue is empty and no job runs (tests and orderly shutdown).
  void waitIdle();

 private:
  void run();
  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> queue_;
  int running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace nestbox::system
