#include "seraug/service/server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <httplib.h>
#include <sys/socket.h>
#include <thread>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {
namespace {

// The page loads nothing from elsewhere: scripts, styles, connections and the audio
// worklet come from this origin only; blob: serves the downloads and data: the canvas.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

httplib::Headers security_headers() {
  return {{"Content-Security-Policy", kContentSecurityPolicy},
          {"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"},
          {"Cross-Origin-Resource-Policy", "same-origin"},
          {"Cache-Control", "no-store"}};
}

void answer(httplib::Response& res, const ServiceReply& reply) {
  res.status = reply.status;
  res.set_content(reply.body, reply.content_type.c_str());
}

QueryParameters query_of(const httplib::Request& req) {
  QueryParameters q;
  for (const auto& [key, value] : req.params) q.emplace_back(key, value);
  return q;
}

std::span<const unsigned char> body_of(const httplib::Request& req) {
  return {reinterpret_cast<const unsigned char*>(req.body.data()), req.body.size()};
}

// Compares without an early exit, so that the time taken does not tell how much of a
// guessed token was right.
bool same_secret(const std::string& given, const std::string& expected) {
  unsigned char differ = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) differ |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return differ == 0;
}

bool authorised(const httplib::Request& req, const std::string& token) {
  if (token.empty() || req.path.rfind("/api/", 0) != 0) return true;
  const std::string header = req.get_header_value("Authorization");
  const std::string scheme = "Bearer ";
  return header.rfind(scheme, 0) == 0 && same_secret(header.substr(scheme.size()), token);
}

// A server on loopback answers only requests addressed to loopback: a web page elsewhere
// that gets the browser to resolve its own name to 127.0.0.1 (DNS rebinding) sends its
// name in Host, and is refused.
bool is_loopback_host(const std::string& host) {
  std::string name = host;
  if (!name.empty() && name.front() == '[') name = name.substr(1, name.find(']') - 1);  // [::1]:8080
  else if (const auto colon = name.rfind(':'); colon != std::string::npos) name = name.substr(0, colon);
  return name == "127.0.0.1" || name == "localhost" || name == "::1";
}

// A form body would be parsed into parameters (and cut at 8 KB) by the library: the API
// takes raw bytes only.
bool is_form(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  return type.rfind("application/x-www-form-urlencoded", 0) == 0 || type.rfind("multipart/form-data", 0) == 0;
}

std::string status_text(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "a bearer token is needed (Authorization: Bearer <token>)";
    case 404: return "no such resource";
    case 405: return "method not allowed";
    case 408: return "the request took too long to arrive";
    case 413: return "the request body exceeds the upload limit";
    case 414: return "the request line is too long";
    default: return status >= 500 ? "server error" : "request refused";
  }
}

void add_routes(httplib::Server& server, AnalysisService& service) {
  server.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) { answer(res, service.health()); });
  server.Get("/api/model", [&](const httplib::Request&, httplib::Response& res) { answer(res, service.model_description()); });
  server.Post("/api/analyze",
              [&](const httplib::Request& req, httplib::Response& res) { answer(res, service.analyze_upload(body_of(req), query_of(req))); });
  server.Post("/api/streams", [&](const httplib::Request& req, httplib::Response& res) {
    answer(res, service.open_stream(query_of(req)));
  });
  server.Post(R"(/api/streams/([0-9a-f]{32}))", [&](const httplib::Request& req, httplib::Response& res) {
    answer(res, service.push_stream(req.matches[1], body_of(req)));
  });
  server.Delete(R"(/api/streams/([0-9a-f]{32}))", [&](const httplib::Request& req, httplib::Response& res) {
    answer(res, service.close_stream(req.matches[1]));
  });
  // The page: only the compiled-in files; every other path is a 404 (no file system).
  server.Get(R"(/[A-Za-z0-9_.-]*)", [](const httplib::Request& req, httplib::Response& res) {
    const PageAsset* asset = page_asset(req.path);
    if (!asset) return answer(res, error_reply(404, "no such page: " + req.path));
    res.set_content(asset->bytes.data(), asset->bytes.size(), asset->content_type);
  });
}

void add_guards(httplib::Server& server, const std::string& token, bool loopback_only, const ServerHooks& hooks) {
  // Runs before the body is read: a refused request costs no upload.
  server.set_pre_routing_handler([token, loopback_only](const httplib::Request& req, httplib::Response& res) {
    if (loopback_only && !is_loopback_host(req.get_header_value("Host"))) {
      answer(res, error_reply(400, "this server listens on loopback and answers only requests addressed to it (Host: 127.0.0.1 or "
                                   "localhost), not to '" + req.get_header_value("Host") + "'"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!authorised(req, token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      answer(res, error_reply(401, status_text(401)));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (is_form(req)) {
      answer(res, error_reply(415, "send the recording's bytes as the request body (Content-Type application/octet-stream or audio/*), "
                                   "not a form"));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) answer(res, error_reply(res.status, status_text(res.status)));
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "unexpected failure";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
    answer(res, error_reply(500, what));
  });
  if (hooks.log)
    server.set_logger([log = hooks.log](const httplib::Request& req, const httplib::Response& res) {
      log(req.method + " " + req.path + " " + std::to_string(res.status) + " (" + std::to_string(req.body.size()) + " bytes in)");
    });
}

}  // namespace

void serve_http(AnalysisService& service, const ServeSettings& s, const std::string& token, const ServerHooks& hooks) {
  httplib::Server server;
  // Connections are handled by a fixed pool: the workers, the waiting uploads, the
  // streams and a few more that can be answered 503, so that bodies in memory stay bounded.
  const std::size_t threads = static_cast<std::size_t>(s.workers + s.queue + s.max_streams + 4);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(static_cast<std::size_t>(s.max_upload_mb * 1e6));
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(s.timeout_s * 1000));
  server.set_read_timeout(timeout);
  server.set_write_timeout(timeout);
  server.set_keep_alive_timeout(5);
  // SO_REUSEADDR alone (restarts need not wait out TIME_WAIT); the library's default also
  // sets SO_REUSEPORT, which would let a second server share, and silently split, a port.
  server.set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_default_headers(security_headers());
  add_guards(server, token, is_loopback_host(s.host), hooks);
  add_routes(server, service);
  const int port = s.port == 0 ? server.bind_to_any_port(s.host) : (server.bind_to_port(s.host, s.port) ? s.port : -1);
  if (port <= 0) throw Error("serve: cannot listen on " + s.host + ":" + std::to_string(s.port) + " (address in use, or not this machine's)");
  std::atomic<bool> done{false};
  std::thread watcher([&] {  // stops the server on Ctrl-C / SIGTERM
    while (!done) {
      if (interrupted()) server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  if (hooks.listening) hooks.listening("http://" + (s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host) + ":" + std::to_string(port) + "/");
  const bool ok = server.listen_after_bind();
  done = true;
  watcher.join();
  if (!ok && !interrupted()) throw Error("serve: the server stopped unexpectedly");
}

}  // namespace seraug
