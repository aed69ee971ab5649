// The files of a package, whether it is a folder or a .zip of one.
//
// A zip may hold the package at its root or inside one top-level folder; the
// paths listed are relative to the package either way, '/'-separated.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "package/byte_source.hpp"
#include "units/status.hpp"

namespace assay {

class PackageFiles {
 public:
  virtual ~PackageFiles() = default;
  // Regular files, relative paths, sorted in byte order.
  virtual const std::vector<std::string>& list() const = 0;
  virtual Status open(const std::string& rel, std::unique_ptr<ByteSource>* out) = 0;
  // The file's path on disk when the package is a folder; "" inside a zip.
  virtual std::string local_path(const std::string& /*rel*/) const { return ""; }
  Status read_all(const std::string& rel, std::string* out);
  bool contains(const std::string& rel) const;
};

Status open_package_files(const std::string& path, std::unique_ptr<PackageFiles>* out);

}  // namespace assay
