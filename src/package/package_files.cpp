#include "package/package_files.hpp"

#include <zip.h>
#include <algorithm>
#include <filesystem>
#include <map>

namespace assay {

namespace fs = std::filesystem;

Status PackageFiles::read_all(const std::string& rel, std::string* out) {
  std::unique_ptr<ByteSource> src;
  if (Status s = open(rel, &src); !s) return s;
  out->clear();
  char buf[1 << 16];
  Status status;
  for (;;) {
    size_t n = src->read(buf, sizeof buf, &status);
    if (!status) return status;
    if (n == 0) break;
    out->append(buf, n);
  }
  return Status::ok();
}

bool PackageFiles::contains(const std::string& rel) const {
  const auto& l = list();
  return std::binary_search(l.begin(), l.end(), rel);
}

namespace {

class FolderFiles final : public PackageFiles {
 public:
  explicit FolderFiles(fs::path root) : root_(std::move(root)) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec))
        files_.push_back(fs::relative(it->path(), root_, ec).generic_string());
    }
    std::sort(files_.begin(), files_.end());
  }
  const std::vector<std::string>& list() const override { return files_; }
  Status open(const std::string& rel, std::unique_ptr<ByteSource>* out) override {
    return open_file_source((root_ / rel).string(), out);
  }
  std::string local_path(const std::string& rel) const override { return (root_ / rel).string(); }

 private:
  fs::path root_;
  std::vector<std::string> files_;
};

class ZipEntrySource final : public ByteSource {
 public:
  ZipEntrySource(zip_file_t* f, uint64_t size, std::string name)
      : f_(f), size_(size), name_(std::move(name)) {}
  ~ZipEntrySource() override { zip_fclose(f_); }
  size_t read(char* buf, size_t n, Status* status) override {
    zip_int64_t got = zip_fread(f_, buf, n);
    if (got < 0) {
      *status = Status::error(name_ + ": cannot inflate: " + zip_file_strerror(f_));
      return 0;
    }
    return static_cast<size_t>(got);
  }
  uint64_t size() const override { return size_; }

 private:
  zip_file_t* f_;
  uint64_t size_;
  std::string name_;
};

class ZipFiles final : public PackageFiles {
 public:
  ZipFiles(zip_t* zip, std::string path) : zip_(zip), path_(std::move(path)) {}
  ~ZipFiles() override { zip_discard(zip_); }
  Status index() {
    zip_int64_t n = zip_get_num_entries(zip_, 0);
    std::vector<std::pair<std::string, zip_uint64_t>> entries;
    for (zip_int64_t i = 0; i < n; ++i) {
      const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), 0);
      if (!name) continue;
      std::string s(name);
      if (s.empty() || s.back() == '/') continue;
      if (s.find("..") != std::string::npos || s[0] == '/') {
        return Status::error(path_ + ": entry \"" + s + "\" has an unsafe path");
      }
      entries.emplace_back(s, static_cast<zip_uint64_t>(i));
    }
    // The package may sit inside one top-level folder of the zip.
    std::string prefix;
    bool root_manifest = std::any_of(entries.begin(), entries.end(),
                                     [](const auto& e) { return e.first == "package.toml"; });
    if (!root_manifest) {
      for (const auto& e : entries) {
        size_t slash = e.first.find('/');
        if (slash != std::string::npos && e.first.substr(slash + 1) == "package.toml") {
          prefix = e.first.substr(0, slash + 1);
          break;
        }
      }
    }
    for (const auto& [name, idx] : entries) {
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      std::string rel = name.substr(prefix.size());
      index_[rel] = idx;
      files_.push_back(rel);
    }
    std::sort(files_.begin(), files_.end());
    return Status::ok();
  }
  const std::vector<std::string>& list() const override { return files_; }
  Status open(const std::string& rel, std::unique_ptr<ByteSource>* out) override {
    auto it = index_.find(rel);
    if (it == index_.end()) return Status::error(path_ + ": no entry " + rel);
    zip_stat_t st;
    zip_stat_init(&st);
    zip_stat_index(zip_, it->second, 0, &st);
    zip_file_t* f = zip_fopen_index(zip_, it->second, 0);
    if (!f) return Status::error(path_ + "[" + rel + "]: cannot open: " + zip_strerror(zip_));
    *out = std::make_unique<ZipEntrySource>(f, (st.valid & ZIP_STAT_SIZE) ? st.size : 0,
                                            path_ + "[" + rel + "]");
    return Status::ok();
  }

 private:
  zip_t* zip_;
  std::string path_;
  std::map<std::string, zip_uint64_t> index_;
  std::vector<std::string> files_;
};

}  // namespace

Status open_package_files(const std::string& path, std::unique_ptr<PackageFiles>* out) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Status::error(path + ": no such file or folder");
  if (fs::is_directory(st)) {
    *out = std::make_unique<FolderFiles>(fs::path(path));
    return Status::ok();
  }
  int err = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!zip) {
    return Status::error(path + ": not a package (expected a folder or a .zip of one)");
  }
  auto files = std::make_unique<ZipFiles>(zip, path);
  if (Status s = files->index(); !s) return s;
  *out = std::move(files);
  return Status::ok();
}

}  // namespace assay
