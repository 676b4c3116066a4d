// The request and response shapes that webhook handlers see, independent of the HTTP
// library underneath, so handlers are tested without sockets.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace modelgate::webhook {

// One HTTP request. The views point into the server's buffers and are valid only for the
// duration of the handler call.
struct HttpRequest {
  std::string_view method;        // "GET", "POST", ...
  std::string_view target;        // path and query, as sent: "/validate?timeout=10s"
  std::string_view content_type;  // empty when absent
  std::string_view body;
};

// One HTTP response.
struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Produces the response to a request. Runs on a server thread and must not block on
// I/O: decisions come from in-memory caches.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// The path part of a request target ("/validate" for "/validate?timeout=10s").
inline std::string_view TargetPath(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace modelgate::webhook
