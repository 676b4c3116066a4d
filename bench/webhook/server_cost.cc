// modelgate_server_cost: the webhook's HTTPS server alone, answering every request with the
// bytes of a file, so that wrk can compare the server layer with nginx serving the same bytes
// without a control plane or caches behind it.
//
//   modelgate_server_cost CERT KEY RESPONSE_FILE PORT [THREADS]
//
// Serves until SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "webhook/https_server.h"

int main(int argc, char** argv) {
  using namespace modelgate::webhook;
  if (argc < 5) {
    std::cerr << "usage: modelgate_server_cost CERT KEY RESPONSE_FILE PORT [THREADS]\n";
    return 2;
  }
  std::ifstream in(argv[3], std::ios::binary);
  if (!in) {
    std::cerr << "modelgate_server_cost: cannot read " << argv[3] << "\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string body = text.str();
  auto certificate = ServingCertificate::Load(argv[1], argv[2]);
  if (!certificate.ok()) {
    std::cerr << "modelgate_server_cost: " << certificate.status().message() << "\n";
    return 1;
  }
  HttpsServerOptions options;
  options.address = "127.0.0.1";
  options.port = static_cast<uint16_t>(std::atoi(argv[4]));
  options.threads = argc > 5 ? std::atoi(argv[5]) : 2;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto server = HttpsServer::Start(
      options, std::shared_ptr<ServingCertificate>(std::move(certificate).value()),
      [&body](const HttpRequest&) {
        return HttpResponse{200, "application/json", body};
      });
  if (!server.ok()) {
    std::cerr << "modelgate_server_cost: " << server.status().message() << "\n";
    return 1;
  }
  int signal = 0;
  sigwait(&signals, &signal);
  return 0;
}
