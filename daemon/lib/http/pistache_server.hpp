#pragma once
// Serves the Api over plain HTTP on loopback with Pistache. nginx in front terminates TLS
// and is the only client (Pistache's own TLS is unsafe to expose; see PLATFORM-NOTES).
//
// Shutdown is two-step: drain() stops taking new requests (503 + Connection: close) and
// waits for the ones in flight to finish; stop() then closes the listener and threads.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "core/config.hpp"
#include "http/api.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace nestbox::http {

struct ServerState {
  std::atomic<bool> draining{false};
  std::atomic<int> inFlight{0};
};

class HttpServer {
 public:
  HttpServer(const Config& config, Api& api);
  ~HttpServer();
  void start();  // throws if the port cannot be bound
  uint16_t port() const;
  // Returns false if requests were still running when the grace period ran out.
  bool drain(std::chrono::milliseconds grace);
  void stop();

 private:
  const Config& config_;
  Api& api_;
  std::shared_ptr<ServerState> state_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace nestbox::http
