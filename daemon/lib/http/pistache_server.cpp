#include "http/pistache_server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>

#include <sstream>
#include <thread>

#include "core/text.hpp"

namespace nestbox::http {
namespace {

namespace P = Pistache;

Request convert(const P::Http::Request& in) {
  Request out;
  out.method = P::Http::methodString(in.method());
  out.path = in.resource();
  // Pistache parses some headers into typed objects; turning one back into text costs a
  // stream, so only those the API reads are converted.
  for (const char* name : {"Host", "Content-Type", "User-Agent"}) {
    if (const auto header = in.headers().tryGet(name)) {
      std::ostringstream value;
      header->write(value);
      out.headers[asciiLower(name)] = value.str();
    }
  }
  for (const auto& [name, raw] : in.headers().rawList()) {
    out.headers[asciiLower(name)] = raw.value();
  }
  // Pistache moves the Cookie header into its jar; take the values from there.
  for (const auto& cookie : in.cookies()) out.cookies.emplace(cookie.name, cookie.value);
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    out.query[percentDecode(it->first)] = percentDecode(it->second);
  }
  if (!in.body().empty()) out.body = in.body();
  out.peerAddress = in.address().host();
  return out;
}

// Pistache 0.0.5 writes only typed headers into responses (raw ones are dropped), so each
// header we send is wrapped in this generic typed header.
class TextHeader final : public P::Http::Header::Header {
 public:
  TextHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }

 private:
  std::string name_;
  std::string value_;
};

class Handler final : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)

  Handler(Api* api, std::shared_ptr<ServerState> state) : api_(api), state_(std::move(state)) {}

  void onRequest(const P::Http::Request& request, P::Http::ResponseWriter writer) override {
    ++state_->inFlight;
    Response response;
    if (state_->draining.load()) {
      response = Response::error(503, "stopping", "The box is restarting. Try again in a moment.");
      response.withHeader("Connection", "close").withHeader("Retry-After", "5");
    } else {
      response = api_->handle(convert(request));
    }
    send(writer, response);
    --state_->inFlight;
  }

  void onTimeout(const P::Http::Request&, P::Http::ResponseWriter writer) override {
    send(writer, Response::error(408, "request_timeout", "The request took too long to arrive."));
  }

 private:
  static void send(P::Http::ResponseWriter& writer, const Response& response) {
    // Almost every answer is JSON: parse that media type once, not per response.
    static const std::string kJson = "application/json; charset=utf-8";
    static const P::Http::Mime::MediaType kJsonType = P::Http::Mime::MediaType::fromString(kJson);
    P::Http::Mime::MediaType mime;
    for (const auto& [name, value] : response.headers) {
      if (name == "Content-Type") {
        mime = value == kJson ? kJsonType : P::Http::Mime::MediaType::fromString(value);
      } else {
        writer.headers().add(std::make_shared<TextHeader>(name, value));
      }
    }
    writer.send(static_cast<P::Http::Code>(response.status), response.body, mime);
  }

  Api* api_;
  std::shared_ptr<ServerState> state_;
};

}  // namespace

HttpServer::HttpServer(const Config& config, Api& api)
    : config_(config), api_(api), state_(std::make_shared<ServerState>()) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  P::Address address(config_.listenAddress, P::Port(config_.listenPort));
  endpoint_ = std::make_unique<P::Http::Endpoint>(address);
  auto options = P::Http::Endpoint::options()
                     .threads(config_.threads)
                     .flags(P::Tcp::Options::ReuseAddr)
                     .maxRequestSize(config_.maxRequestBytes)
                     .headerTimeout(std::chrono::seconds(10))
                     .bodyTimeout(std::chrono::seconds(30));
  endpoint_->init(options);
  endpoint_->setHandler(std::make_shared<Handler>(&api_, state_));
  endpoint_->serveThreaded();
}

uint16_t HttpServer::port() const { return endpoint_ ? static_cast<uint16_t>(endpoint_->getPort()) : 0; }

bool HttpServer::drain(std::chrono::milliseconds grace) {
  state_->draining = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (state_->inFlight.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // A finished handler has queued its reply; give the reactor a moment to write it out.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return true;
}

void HttpServer::stop() {
  if (endpoint_) {
    endpoint_->shutdown();
    endpoint_.reset();
  }
}

}  // namespace nestbox::http
