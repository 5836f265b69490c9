#include "http/message.hpp"

namespace nestbox::http {

std::optional<std::string> Request::header(const std::string& name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::cookie(const std::string& name) const {
  const auto it = cookies.find(name);
  if (it == cookies.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::queryValue(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response Response::json(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response Response::error(int status, const std::string& code, const std::string& message,
                         const std::string& field, const Json& details) {
  Json body = {{"error", code}, {"message", message}};
  if (!field.empty()) body["field"] = field;
  if (!details.is_null()) body["details"] = details;
  return json(status, body);
}

Response& Response::withHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string percentDecode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  auto hexValue = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos) {
        out[percentDecode(pair)] = "";
      } else {
        out[percentDecode(pair.substr(0, eq))] = percentDecode(pair.substr(eq + 1));
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace nestbox::http
