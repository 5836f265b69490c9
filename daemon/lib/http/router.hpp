#pragma once
// Method + path pattern dispatch. Patterns are literal segments and ":name" parameters,
// e.g. "/api/v1/users/:id". The table is built once before serving and never changes, so
// lookups need no locking from many threads.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace nestbox::http {

using PathParams = std::map<std::string, std::string>;

template <typename Handler>
class Router {
 public:
  void add(std::string method, const std::string& pattern, Handler handler) {
    routes_.push_back({std::move(method), split(pattern), std::move(handler)});
  }

  struct Match {
    const Handler* handler = nullptr;
    PathParams params;
    bool pathKnown = false;  // true when the path exists under another method (405, not 404)
    std::vector<std::string> allowed;
  };

  Match match(const std::string& method, const std::string& path) const {
    Match result;
    const auto segments = split(path);
    for (const auto& route : routes_) {
      PathParams params;
      if (!matches(route.segments, segments, params)) continue;
      result.pathKnown = true;
      result.allowed.push_back(route.method);
      if (route.method == method && !result.handler) {
        result.handler = &route.handler;
        result.params = std::move(params);
      }
    }
    return result;
  }

  static std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
      auto end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      if (end > start) out.push_back(path.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  static bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                      PathParams& params) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (!pattern[i].empty() && pattern[i][0] == ':') {
        params[pattern[i].substr(1)] = percentDecode(path[i]);
      } else if (pattern[i] != path[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace nestbox::http
