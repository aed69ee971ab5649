// Test helper: OpenCC's Traditional-to-Simplified conversion (Debian package
// opencc, `opencc -c t2s`), the rule every zh-Hans text of the project follows.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace assay::test {

inline bool have_opencc() { return std::system("command -v opencc >/dev/null 2>&1") == 0; }

// `text` converted line by line (empty on failure).
inline std::string opencc_t2s(const std::string& text) {
  char path[] = "/tmp/assay-opencc-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return {};
  FILE* f = fdopen(fd, "w");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  std::string cmd = std::string("opencc -c t2s -i ") + path + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (p) pclose(p);
  std::remove(path);
  return out;
}

}  // namespace assay::test
