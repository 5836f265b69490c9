#include "http/streaming_server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "core/text.hpp"

namespace nestbox::http {
namespace {

// Bodies of routes that do not stream (tus POST, DELETE) are small; anything larger is refused.
constexpr std::size_t kMaxBufferedBody = 64 * 1024;

struct Exchange {
  Request request;
  std::optional<Response> response;  // decided before or while the body arrived
  std::unique_ptr<BodySink> sink;
  bool started = false;
  bool finished = false;
};

MHD_Result collect(void* cls, MHD_ValueKind kind, const char* key, const char* value) {
  auto* request = static_cast<Request*>(cls);
  if (!key) return MHD_YES;
  const std::string v = value ? value : "";
  if (kind == MHD_HEADER_KIND) request->headers[asciiLower(key)] = v;
  if (kind == MHD_COOKIE_KIND) request->cookies.emplace(key, v);
  if (kind == MHD_GET_ARGUMENT_KIND) request->query[key] = v;
  return MHD_YES;
}

std::string peerOf(MHD_Connection* connection) {
  const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (info->client_addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(info->client_addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
  } else if (info->client_addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(info->client_addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
  }
  return text;
}

MHD_Result send(MHD_Connection* connection, const Response& r) {
  MHD_Response* response =
      MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (!response) return MHD_NO;
  bool typed = false;
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
    typed = typed || asciiLower(name) == "content-type";
  }
  if (!typed && !r.body.empty()) MHD_add_response_header(response, "Content-Type", "application/json; charset=utf-8");
  const MHD_Result result = MHD_queue_response(connection, static_cast<unsigned int>(r.status), response);
  MHD_destroy_response(response);
  return result;
}

MHD_Result onRequest(void* cls, MHD_Connection* connection, const char* url, const char* method, const char*,
                     const char* uploadData, std::size_t* uploadDataSize, void** state) {
  auto& api = *static_cast<Api*>(cls);
  auto* exchange = static_cast<Exchange*>(*state);
  if (!exchange) {
    exchange = new Exchange();
    *state = exchange;
    Request& r = exchange->request;
    r.method = method;
    r.path = url;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collect, &r);
    MHD_get_connection_values(connection, MHD_COOKIE_KIND, collect, &r);
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect, &r);
    r.peerAddress = peerOf(connection);
    auto opened = api.open(r);
    exchange->response = std::move(opened.response);
    exchange->sink = std::move(opened.sink);
    return MHD_YES;
  }
  if (*uploadDataSize > 0) {
    const std::string_view piece(uploadData, *uploadDataSize);
    if (!exchange->response) {
      if (exchange->sink) {
        exchange->sink->write(piece);
      } else if (exchange->request.body.size() + piece.size() > kMaxBufferedBody) {
        exchange->response = Response::error(413, "payload_too_large", "The request body is too large.");
      } else {
        exchange->request.body.append(piece);
      }
    }
    *uploadDataSize = 0;  // consumed (or, after a refusal, discarded)
    return MHD_YES;
  }
  exchange->finished = true;
  if (exchange->response) return send(connection, *exchange->response);
  if (exchange->sink) {
    Response r = exchange->sink->finish();
    r.withHeader("Cache-Control", "no-store");
    return send(connection, r);
  }
  return send(connection, api.handle(exchange->request));
}

void onCompleted(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode code) {
  auto* exchange = static_cast<Exchange*>(*state);
  if (!exchange) return;
  // A cut connection: tus keeps what arrived so the client resumes from there.
  if (exchange->sink && (!exchange->finished || code != MHD_REQUEST_TERMINATED_COMPLETED_OK)) exchange->sink->abandon();
  delete exchange;
  *state = nullptr;
}

}  // namespace

StreamingServer::StreamingServer(const Config& config, Api& api) : config_(config), api_(api) {}

StreamingServer::~StreamingServer() { stop(); }

void StreamingServer::start() {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(config_.uploadPort);
  if (inet_pton(AF_INET, config_.listenAddress.c_str(), &address.sin_addr) != 1) {
    throw std::runtime_error("upload listener: bad address " + config_.listenAddress);
  }
  // A thread per connection: each upload blocks only on its own disk writes.
  daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
                             0, nullptr, nullptr, &onRequest, &api_,
                             MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),
                             MHD_OPTION_NOTIFY_COMPLETED, &onCompleted, nullptr,
                             MHD_OPTION_CONNECTION_LIMIT, 64u,
                             MHD_OPTION_CONNECTION_TIMEOUT, 120u,
                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<std::size_t>(256 * 1024),
                             MHD_OPTION_END);
  if (!daemon_) throw std::runtime_error("cannot listen for uploads on port " + std::to_string(config_.uploadPort));
  const auto* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info ? info->port : config_.uploadPort;
}

void StreamingServer::stop() {
  if (daemon_) {
    MHD_stop_daemon(daemon_);
    daemon_ = nullptr;
  }
}

}  // namespace nestbox::http
