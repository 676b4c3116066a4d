#include "gates/digest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

namespace modelgate::gates {
namespace {

constexpr std::string_view kPrefix = "sha256:";

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<std::string> Sha256Digest(ByteSource& source) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Status::Internal("cannot initialise sha256");
  }
  std::vector<char> buffer(1 << 20);
  while (true) {
    Result<std::size_t> n = source.Read(buffer.data(), buffer.size());
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    EVP_DigestUpdate(ctx.get(), buffer.data(), *n);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kPrefix);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Status ValidateDigest(std::string_view expected) {
  if (expected.substr(0, kPrefix.size()) != kPrefix) {
    return Status::InvalidArgument("digest \"" + std::string(expected) +
                                   "\" must start with \"sha256:\"");
  }
  std::string_view hex = expected.substr(kPrefix.size());
  if (hex.size() != 64 ||
      !std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c) != 0; })) {
    return Status::InvalidArgument("digest \"" + std::string(expected) +
                                   "\" must have 64 hexadecimal digits after \"sha256:\"");
  }
  return Status::Ok();
}

Status VerifyDigest(ByteSource& source, std::string_view expected) {
  MODELGATE_RETURN_IF_ERROR(ValidateDigest(expected));
  Result<std::string> actual = Sha256Digest(source);
  if (!actual.ok()) return actual.status();
  if (*actual != Lower(expected)) {
    return Status::InvalidArgument(source.name() + ": digest mismatch: expected " +
                                   Lower(expected) + ", got " + *actual);
  }
  return Status::Ok();
}

}  // namespace modelgate::gates
