#pragma once
// HTTP messages as the API sees them, independent of the server library, so every handler
// and every access rule can be unit-tested by building a Request in memory.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_input.hpp"

namespace nestbox::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::map<std::string, std::string> cookies;
  std::string body;
  std::string peerAddress;  // the TCP peer (nginx, on loopback)

  std::optional<std::string> header(const std::string& lowerCaseName) const;
  std::optional<std::string> cookie(const std::string& name) const;
  std::optional<std::string> queryValue(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response json(int status, const Json& body);
  // {"error": code, "message": message, "field": field?, "details": {...}?}: the one error
  // shape of the API. `message` is for people; clients act on `error` and `details`.
  static Response error(int status, const std::string& code, const std::string& message,
                        const std::string& field = {}, const Json& details = nullptr);
  Response& withHeader(std::string name, std::string value);
};

std::string percentDecode(const std::string& text);
// Parses "a=1&b=two%20words" into a map (last value wins).
std::map<std::string, std::string> parseQuery(const std::string& query);

}  // namespace nestbox::http
