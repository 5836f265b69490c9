#pragma once
// The upload listener: libmicrohttpd on loopback, which hands a request body to the API in
// pieces as they arrive (Pistache 0.0.5 buffers whole bodies, ~3x their size). nginx sends
// /api/v1/uploads here unbuffered; every request goes through the same Api checks (session,
// CSRF, role) as the main listener, and a PATCH body streams into a BodySink.

#include <atomic>
#include <cstdint>

#include "core/config.hpp"
#include "http/api.hpp"

struct MHD_Daemon;

namespace nestbox::http {

class StreamingServer {
 public:
  StreamingServer(const Config& config, Api& api);
  ~StreamingServer();
  StreamingServer(const StreamingServer&) = delete;
  StreamingServer& operator=(const StreamingServer&) = delete;

  void start();  // throws when the port cannot be bound
  uint16_t port() const { return port_; }
  // Stops accepting and ends open connections; a cut upload keeps the bytes it received.
  void stop();

 private:
  const Config& config_;
  Api& api_;
  MHD_Daemon* daemon_ = nullptr;
  uint16_t port_ = 0;
};

}  // namespace nestbox::http
