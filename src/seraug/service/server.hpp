// `seraug serve`'s HTTP server (cpp-httplib, Debian's libcpp-httplib-dev): the page and
// its scripts (compiled into the binary; no file is ever read or written for a
// request), the JSON API of service/analysis_service.hpp, security headers, an optional
// bearer token for /api/, body-size and connection-time limits. docs/serve.md lists the
// routes and status codes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "seraug/service/analysis_service.hpp"

namespace seraug {

struct ServerHooks {
  std::function<void(const std::string& url)> listening;  // once bound (the port chosen when port = 0)
  // One line per request ("POST /api/analyze 200 41 ms"); unset: no log.
  std::function<void(const std::string& line)> log;
};

// Serves until an interrupt (Ctrl-C, SIGTERM): requests in progress are finished or
// answered, then it returns. `token`: when not empty, /api/ requests need the header
// "Authorization: Bearer <token>" (401 otherwise). Throws seraug::Error when the
// address cannot be bound.
void serve_http(AnalysisService& service, const ServeSettings& settings, const std::string& token, const ServerHooks& hooks);

// The page's files, compiled in (service/page/): path ("/", "/app.js", ...) -> content
// type and bytes; nullptr for any other path.
struct PageAsset {
  const char* content_type;
  std::string_view bytes;
};
const PageAsset* page_asset(const std::string& path);

}  // namespace seraug
