#pragma once
// Calls the API in memory as a browser would: a session cookie, the CSRF header, JSON bodies.

#include <map>
#include <optional>
#include <string>

#include "fixture.hpp"

namespace nestbox::testing {

using http::Api;
using http::Request;
using http::Response;

struct Client {
  explicit Client(testing::Stack& stack) : s(stack) {}
  testing::Stack& s;
  std::string cookie;
  std::string csrf;
  std::string address = "192.168.1.20";  // as nginx saw it: on the staff network by default

  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                std::map<std::string, std::string> headers = {}) {
    Request r;
    r.method = method;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = http::parseQuery(target.substr(q + 1));
    r.peerAddress = "127.0.0.1";
    r.headers = {{"x-real-ip", address}, {"host", "nestbox.local"}, {"user-agent", "unit"}};
    if (!body.empty()) r.headers["content-type"] = "application/json";
    if (!csrf.empty()) r.headers[Api::kCsrfHeader] = csrf;
    for (auto& [k, v] : headers) r.headers[k] = v;
    if (!cookie.empty()) r.cookies[Api::kSessionCookie] = cookie;
    r.body = body;
    return s.api.handle(r);
  }

  Json json(const Response& r) { return Json::parse(r.body); }

  // Signs in on the setting's registered tablet (its proof goes with the password).
  Response signIn(const std::string& username, const std::string& password) {
    const auto proof = s.proof();
    return signInWith(Json{{"username", username}, {"password", password}, {"device_id", proof.deviceId},
                           {"challenge", proof.challenge}, {"signature", proof.signature}});
  }
  // Signs in from a browser that is not a registered device.
  Response signInUnregistered(const std::string& username, const std::string& password) {
    return signInWith(Json{{"username", username}, {"password", password}});
  }
  Response signInWith(const Json& body) {
    auto r = call("POST", "/api/v1/auth/sign-in", body.dump());
    if (r.status == 200) {
      for (const auto& [name, value] : r.headers) {
        if (name == "Set-Cookie") cookie = value.substr(value.find('=') + 1, value.find(';') - value.find('=') - 1);
      }
      csrf = json(r)["csrf_token"];
    }
    return r;
  }
};

inline std::optional<std::string> headerOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

}  // namespace nestbox::testing
