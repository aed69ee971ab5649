// SHA-256 (OpenSSL), for content hashes, run hashes and the audit chain.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace assay {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex_digest();  // finishes; lower-case hex, 64 characters

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace assay
