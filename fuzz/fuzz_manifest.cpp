// Fuzzes package.toml parsing and checking.
#include <cstdint>
#include <string>

#include "package/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  assay::Manifest manifest;
  assay::DiagnosticSink sink;
  assay::parse_manifest(text, "package.toml", {"ar6", "ar5", "ipcc2006"}, &manifest, &sink);
  return 0;
}
