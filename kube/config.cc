#include "kube/config.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/yaml.h"
#include "kube/base64.h"

namespace modelgate::kube {
namespace {

// Names a kubeconfig field for error messages: "users[admin].user.client-key".
struct Where {
  std::string file;
  std::string path;
  Status Invalid(const std::string& field, const std::string& what) const {
    return Status::InvalidArgument(file + ": " + path + (field.empty() ? "" : "." + field) + ": " +
                                   what);
  }
};

Result<std::string> ScalarField(const YAML::Node& node, const std::string& field,
                                const Where& where) {
  YAML::Node value = node[field];
  if (!value || value.IsNull()) return std::string();
  if (!value.IsScalar()) return where.Invalid(field, "must be a string");
  return value.Scalar();
}

// Finds the entry named `name` in a list of {name, <key>: {...}}.
Result<YAML::Node> NamedEntry(const YAML::Node& root, const std::string& list,
                              const std::string& key, const std::string& name,
                              const std::string& file) {
  YAML::Node entries = root[list];
  if (entries && !entries.IsNull() && !entries.IsSequence()) {
    return Status::InvalidArgument(file + ": " + list + ": must be a list");
  }
  if (entries && entries.IsSequence()) {
    for (size_t i = 0; i < entries.size(); ++i) {
      YAML::Node entry = entries[i];
      if (!entry.IsMap() || !entry["name"] || !entry["name"].IsScalar()) continue;
      if (entry["name"].Scalar() != name) continue;
      YAML::Node body = entry[key];
      if (!body || !body.IsMap()) {
        return Status::InvalidArgument(file + ": " + list + "[" + name + "]." + key +
                                       ": must be a mapping");
      }
      return body;
    }
  }
  return Status::InvalidArgument(file + ": " + list + ": no entry named \"" + name + "\"");
}

std::string Resolve(const std::string& path, const std::filesystem::path& base) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (base / p).lexically_normal().string();
}

// Reads `<field>-data` (base64) or `<field>` (a file path) into *out.
Status DataOrFile(const YAML::Node& node, const std::string& field, const Where& where,
                  const std::filesystem::path& base, std::string* out) {
  Result<std::string> data = ScalarField(node, field + "-data", where);
  if (!data.ok()) return data.status();
  if (!data->empty()) {
    Result<std::string> decoded = DecodeBase64(*data);
    if (!decoded.ok()) return where.Invalid(field + "-data", decoded.status().message());
    *out = std::move(decoded).value();
    return Status::Ok();
  }
  Result<std::string> file = ScalarField(node, field, where);
  if (!file.ok()) return file.status();
  if (file->empty()) return Status::Ok();
  Result<std::string> content = ReadBoundedFile(Resolve(*file, base), kMaxCredentialFileBytes);
  if (!content.ok())
    return content.status().WithContext(where.file + ": " + where.path + "." + field);
  *out = std::move(content).value();
  return Status::Ok();
}

}  // namespace

Result<ClientConfig> ParseKubeconfig(const std::string& text, const std::string& file,
                                     const std::string& wanted_context) {
  // yaml-cpp's Load has no bound on nesting short of its own recursion guard and shares
  // aliased nodes silently; the bounded reader refuses deep nesting and alias bombs with a
  // position first. Its JSON is not used: the fields are read from yaml-cpp's nodes.
  YamlLimits limits;
  limits.max_bytes = kMaxKubeconfigBytes;
  limits.max_nodes = kMaxKubeconfigNodes;
  Result<std::vector<nlohmann::json>> bounded = ParseYamlDocuments(text, file, limits);
  if (!bounded.ok()) return bounded.status();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return Status::InvalidArgument(file + ": not a kubeconfig (not a mapping)");
  const std::filesystem::path base = std::filesystem::path(file).parent_path();
  std::string context_name = wanted_context;
  if (context_name.empty()) {
    Result<std::string> current = ScalarField(root, "current-context", {file, "(root)"});
    if (!current.ok()) return current.status();
    context_name = *current;
  }
  if (context_name.empty()) {
    return Status::InvalidArgument(file + ": current-context: not set and no context was named");
  }
  Result<YAML::Node> context = NamedEntry(root, "contexts", "context", context_name, file);
  if (!context.ok()) return context.status();
  Where cw{file, "contexts[" + context_name + "].context"};
  Result<std::string> cluster_name = ScalarField(*context, "cluster", cw);
  if (!cluster_name.ok()) return cluster_name.status();
  if (cluster_name->empty()) return cw.Invalid("cluster", "must be set");
  Result<std::string> user_name = ScalarField(*context, "user", cw);
  if (!user_name.ok()) return user_name.status();
  Result<std::string> ns = ScalarField(*context, "namespace", cw);
  if (!ns.ok()) return ns.status();

  ClientConfig config;
  if (!ns->empty()) config.default_namespace = *ns;

  Result<YAML::Node> cluster = NamedEntry(root, "clusters", "cluster", *cluster_name, file);
  if (!cluster.ok()) return cluster.status();
  Where kw{file, "clusters[" + *cluster_name + "].cluster"};
  Result<std::string> server = ScalarField(*cluster, "server", kw);
  if (!server.ok()) return server.status();
  if (server->empty()) return kw.Invalid("server", "must be set");
  config.server = *server;
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0) {
    return kw.Invalid("server", "must be an http:// or https:// URL, got \"" + *server + "\"");
  }
  MODELGATE_RETURN_IF_ERROR(
      DataOrFile(*cluster, "certificate-authority", kw, base, &config.ca_pem));
  YAML::Node insecure = (*cluster)["insecure-skip-tls-verify"];
  if (insecure && !insecure.IsNull()) {
    try {
      config.insecure_skip_tls_verify = insecure.as<bool>();
    } catch (const YAML::Exception&) {
      return kw.Invalid("insecure-skip-tls-verify", "must be true or false");
    }
  }
  Result<std::string> server_name = ScalarField(*cluster, "tls-server-name", kw);
  if (!server_name.ok()) return server_name.status();
  config.tls_server_name = *server_name;

  if (!user_name->empty()) {
    Result<YAML::Node> user = NamedEntry(root, "users", "user", *user_name, file);
    if (!user.ok()) return user.status();
    Where uw{file, "users[" + *user_name + "].user"};
    MODELGATE_RETURN_IF_ERROR(
        DataOrFile(*user, "client-certificate", uw, base, &config.client_cert_pem));
    MODELGATE_RETURN_IF_ERROR(DataOrFile(*user, "client-key", uw, base, &config.client_key_pem));
    if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
      return uw.Invalid(config.client_cert_pem.empty() ? "client-certificate" : "client-key",
                        "a client certificate needs both certificate and key");
    }
    Result<std::string> token = ScalarField(*user, "token", uw);
    if (!token.ok()) return token.status();
    config.bearer_token = *token;
    Result<std::string> token_file = ScalarField(*user, "tokenFile", uw);
    if (!token_file.ok()) return token_file.status();
    config.bearer_token_file = Resolve(*token_file, base);
    for (const char* unsupported : {"exec", "auth-provider", "username"}) {
      if ((*user)[unsupported]) return uw.Invalid(unsupported, "is not supported by modelgate");
    }
  }
  return config;
}

Result<std::string> ReadBoundedFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return Status::NotFound(path + ": no such file");
    return Status::Unavailable(path + ": cannot be read");
  }
  std::string content;
  char buffer[8192];
  while (in) {
    in.read(buffer, sizeof(buffer));
    content.append(buffer, static_cast<size_t>(in.gcount()));
    if (content.size() > max_bytes) {
      return Status::ResourceExhausted(path + ": larger than " + std::to_string(max_bytes) +
                                       " bytes");
    }
  }
  if (in.bad()) return Status::Unavailable(path + ": read error");
  return content;
}

Result<ClientConfig> LoadKubeconfig(const std::string& path, const std::string& context) {
  Result<std::string> text = ReadBoundedFile(path, kMaxKubeconfigBytes);
  if (!text.ok()) return text.status();
  return ParseKubeconfig(*text, path, context);
}

Result<ClientConfig> LoadInClusterConfig(const InClusterEnvironment& env) {
  auto getenv =
      env.getenv ? env.getenv : [](const char* name) -> const char* { return std::getenv(name); };
  const char* host = getenv("KUBERNETES_SERVICE_HOST");
  const char* port = getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') {
    return Status::NotFound(
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset");
  }
  ClientConfig config;
  std::string h(host);
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6 literal
  config.server = "https://" + h + ":" + port;
  Result<std::string> token = ReadBoundedFile(env.token_path, kMaxCredentialFileBytes);
  if (!token.ok()) return token.status().WithContext("in-cluster service account token");
  config.bearer_token_file = env.token_path;
  Result<std::string> ca = ReadBoundedFile(env.ca_path, kMaxCredentialFileBytes);
  if (!ca.ok()) return ca.status().WithContext("in-cluster CA");
  config.ca_pem = std::move(ca).value();
  Result<std::string> ns = ReadBoundedFile(env.namespace_path, 4096);
  if (ns.ok()) {
    std::string value = *ns;
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    if (!value.empty()) config.default_namespace = value;
  }
  return config;
}

Result<ClientConfig> LoadDefaultConfig(const std::string& kubeconfig_path,
                                       const std::string& context) {
  if (!kubeconfig_path.empty()) return LoadKubeconfig(kubeconfig_path, context);
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    std::string first(env);
    first = first.substr(0, first.find(':'));
    return LoadKubeconfig(first, context);
  }
  Result<ClientConfig> in_cluster = LoadInClusterConfig();
  if (in_cluster.ok() || in_cluster.status().code() != Status::Code::kNotFound ||
      in_cluster.status().message().rfind("not running in a cluster", 0) != 0) {
    return in_cluster;
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr) return in_cluster.status();
  return LoadKubeconfig(std::string(home) + "/.kube/config", context);
}

}  // namespace modelgate::kube
